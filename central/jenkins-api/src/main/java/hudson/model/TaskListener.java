// Compile-only declaration of hudson.model.TaskListener (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Left out: the default annotate(ConsoleNote) and hyperlink(String, String) (ConsoleNote/HyperlinkNote not declared).
// NULL discards everything, like the real NullTaskListener.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

public interface TaskListener extends SerializableOnlyOverRemoting {
    @NonNull
    PrintStream getLogger();

    @NonNull
    default Charset getCharset() {
        return StandardCharsets.UTF_8;
    }

    /** Prints the prefixed message and returns a writer, in {@link #getCharset()}, for details. */
    private PrintWriter report(String prefix, String msg) {
        PrintStream logger = getLogger();
        logger.println(prefix + msg);
        return new PrintWriter(new OutputStreamWriter(logger, getCharset()), true);
    }

    @NonNull
    default PrintWriter error(String msg) {
        return report("ERROR: ", msg);
    }

    @NonNull
    default PrintWriter error(String format, Object... args) {
        return error(String.format(format, args));
    }

    @NonNull
    default PrintWriter fatalError(String msg) {
        return report("FATAL: ", msg);
    }

    @NonNull
    default PrintWriter fatalError(String format, Object... args) {
        return fatalError(String.format(format, args));
    }

    TaskListener NULL = new TaskListener() {
        private static final long serialVersionUID = 1L;

        @Override
        public @NonNull PrintStream getLogger() {
            return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        }
    };
}
