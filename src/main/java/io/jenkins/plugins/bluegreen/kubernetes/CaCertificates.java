package io.jenkins.plugins.bluegreen.kubernetes;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;

/** PEM CA certificates as users paste them, checked before they are handed to the client. */
public final class CaCertificates {

    private CaCertificates() {}

    /**
     * @return how many X.509 certificates the PEM text holds
     * @throws ClusterConfigurationException when it holds none or is not PEM
     */
    public static int count(String pem) {
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new ClusterConfigurationException("the CA certificate is not in PEM form (-----BEGIN CERTIFICATE-----)");
        }
        try {
            int n = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.trim().getBytes(StandardCharsets.US_ASCII)))
                    .size();
            if (n == 0) {
                throw new ClusterConfigurationException("the CA certificate text holds no certificate");
            }
            return n;
        } catch (CertificateException e) {
            throw new ClusterConfigurationException("the CA certificate cannot be read as X.509");
        }
    }

    /** The form fabric8 takes in {@code caCertData}: the PEM text, base64-encoded. */
    static String asCertData(String pem) {
        count(pem);
        return Base64.getEncoder().encodeToString(pem.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
