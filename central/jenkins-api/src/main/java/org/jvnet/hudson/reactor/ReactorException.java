// Compile-only declaration of org.jvnet.hudson.reactor.ReactorException (task-reactor, shipped with Jenkins core). Not packaged; see central/jenkins-api/signatures.txt.
package org.jvnet.hudson.reactor;

public class ReactorException extends Exception {
    private static final long serialVersionUID = 1L;

    ReactorException(Throwable cause) {
        super(cause);
    }
}
