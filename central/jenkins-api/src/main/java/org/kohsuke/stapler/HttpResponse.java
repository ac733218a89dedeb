// Compile-only declaration of org.kohsuke.stapler.HttpResponse (Stapler, shipped with Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package org.kohsuke.stapler;

import jakarta.servlet.ServletException;
import java.io.IOException;

public interface HttpResponse {
    default void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node) throws IOException, ServletException {
        throw new AbstractMethodError("declaration only");
    }
}
