package io.jenkins.plugins.bluegreen.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.jboss.marshalling.ByteInput;
import org.jboss.marshalling.Marshaller;
import org.jboss.marshalling.Marshalling;
import org.jboss.marshalling.MarshallingConfiguration;
import org.jboss.marshalling.ObjectResolver;
import org.jboss.marshalling.SimpleClassResolver;
import org.jboss.marshalling.Unmarshaller;
import org.jboss.marshalling.river.RiverMarshallerFactory;

/**
 * TEST CODE: saves and restores objects as Pipeline saves a running program ({@code program.dat}), with JBoss
 * Marshalling River configured as workflow-support's {@code RiverWriter} and {@code RiverReader} configure it: a plain
 * {@link MarshallingConfiguration} with an object resolver, and on reading a {@link SimpleClassResolver} over the
 * plugin's class loader. No pickles are involved: nothing of ours that is saved is a Run, a listener or a node, and
 * a saved one would fail here as it should. River, unlike {@code java.io}, reads and writes records through their
 * accessors, so a record that is not accessible from outside its package cannot be saved.
 */
public final class ProgramState {

    private ProgramState() {}

    /** The bytes River writes for {@code o}; fails as a real program save would. */
    public static byte[] save(Object o) throws IOException {
        MarshallingConfiguration config = new MarshallingConfiguration();
        config.setObjectResolver(new ObjectResolver() {
            @Override
            public Object readResolve(Object replacement) {
                throw new IllegalStateException("only written here");
            }

            @Override
            public Object writeReplace(Object original) {
                return original; // RiverWriter swaps only the flow owner and pickled objects, neither of which we hold
            }
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Marshaller marshaller = new RiverMarshallerFactory().createMarshaller(config);
        marshaller.start(Marshalling.createByteOutput(bytes));
        marshaller.writeObject(o);
        marshaller.finish();
        return bytes.toByteArray();
    }

    /** Reads back what {@link #save} wrote, as a restarted controller does, with the plugin's class loader. */
    public static <T> T restore(byte[] bytes, Class<T> type) throws IOException, ClassNotFoundException {
        MarshallingConfiguration config = new MarshallingConfiguration();
        config.setClassResolver(new SimpleClassResolver(type.getClassLoader()));
        config.setObjectResolver(new ObjectResolver() {
            @Override
            public Object readResolve(Object replacement) {
                return replacement;
            }

            @Override
            public Object writeReplace(Object original) {
                throw new IllegalStateException("only read here");
            }
        });
        Unmarshaller unmarshaller = new RiverMarshallerFactory().createUnmarshaller(config);
        ByteInput in = Marshalling.createByteInput(new ByteArrayInputStream(bytes));
        unmarshaller.start(in);
        try {
            return type.cast(unmarshaller.readObject());
        } finally {
            unmarshaller.finish();
        }
    }

    /** Saves and restores {@code o}: what a controller restart does to a running step execution. */
    public static <T> T roundTrip(T o, Class<T> type) throws IOException, ClassNotFoundException {
        return restore(save(o), type);
    }
}
