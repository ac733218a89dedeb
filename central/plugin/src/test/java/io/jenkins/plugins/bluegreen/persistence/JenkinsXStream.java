package io.jenkins.plugins.bluegreen.persistence;

import com.thoughtworks.xstream.XStream;
import com.thoughtworks.xstream.converters.Converter;
import com.thoughtworks.xstream.converters.MarshallingContext;
import com.thoughtworks.xstream.converters.UnmarshallingContext;
import com.thoughtworks.xstream.io.HierarchicalStreamReader;
import com.thoughtworks.xstream.io.HierarchicalStreamWriter;
import com.thoughtworks.xstream.io.xml.PrettyPrintWriter;
import com.thoughtworks.xstream.io.xml.StandardStaxDriver;
import java.io.Writer;
import com.thoughtworks.xstream.security.AnyTypePermission;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;

/**
 * XStream as Jenkins' {@code hudson.util.XStream2} stores {@code config.xml} and {@code build.xml} (core 2.528.x and
 * 2.541.x, XStream 1.4.21): written as pretty-printed XML 1.1, read with the JDK's StAX parser (no namespaces, no
 * external entities), fields by name, {@code transient} fields skipped, {@code readResolve} run on load, and every
 * type allowed by XStream itself because Jenkins' class filter decides.
 * <p>
 * Jenkins asks its class filter about every type XStream looks a converter up for (XStream2 registers a converter of
 * the highest priority that claims the types the filter rejects, and then refuses them). This one registers a
 * converter in the same place that claims nothing and records the types, so {@link #consulted()} is exactly what the
 * filter of a real Jenkins would be asked about.
 */
public final class JenkinsXStream {

    private final Set<Class<?>> consulted = Collections.synchronizedSet(new LinkedHashSet<>());
    private final XStream xstream = new XStream(new JenkinsDriver());

    public JenkinsXStream() {
        xstream.addPermission(AnyTypePermission.ANY);
        xstream.denyTypes(new Class<?>[] {void.class, Void.class});
        xstream.registerConverter(new Recorder(), XStream.PRIORITY_VERY_HIGH);
    }

    /** The file as {@code hudson.XmlFile#write} writes it. */
    public String toXml(Object o) {
        return "<?xml version='1.1' encoding='UTF-8'?>\n" + xstream.toXML(o);
    }

    /** A new object from the file, as a build's actions are read from {@code build.xml}. */
    public Object fromXml(String xml) {
        return xstream.fromXML(xml);
    }

    /** Reads the file into an existing object, as {@code Descriptor#load()} reads a global configuration. */
    public <T> T fromXml(String xml, T root) {
        @SuppressWarnings("unchecked")
        T loaded = (T) xstream.fromXML(xml, root);
        return loaded;
    }

    /** Every type a converter was looked up for so far. */
    public Set<Class<?>> consulted() {
        synchronized (consulted) {
            return Set.copyOf(consulted);
        }
    }

    /** XStream2's driver: its writer and the JDK's own StAX factories (XStream's reflective lookup fails on Java 17). */
    private static final class JenkinsDriver extends StandardStaxDriver {
        @Override
        public HierarchicalStreamWriter createWriter(Writer out) {
            return new PrettyPrintWriter(out, PrettyPrintWriter.XML_1_1, getNameCoder());
        }

        @Override
        protected XMLInputFactory createInputFactory() {
            XMLInputFactory factory = XMLInputFactory.newInstance();
            factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            return factory;
        }

        @Override
        protected XMLOutputFactory createOutputFactory() {
            return XMLOutputFactory.newInstance();
        }
    }

    private final class Recorder implements Converter {
        @Override
        public boolean canConvert(@SuppressWarnings("rawtypes") Class type) {
            if (type != null) {
                consulted.add(type);
            }
            return false;
        }

        @Override
        public void marshal(Object source, HierarchicalStreamWriter writer, MarshallingContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object unmarshal(HierarchicalStreamReader reader, UnmarshallingContext context) {
            throw new UnsupportedOperationException();
        }
    }
}
