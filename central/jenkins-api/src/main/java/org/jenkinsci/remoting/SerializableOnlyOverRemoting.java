// Compile-only declaration of org.jenkinsci.remoting.SerializableOnlyOverRemoting (remoting, bundled with Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
// Left out: the @Restricted(ProtectedExternally) default getChannelForSerialization() (needs hudson.remoting.Channel).
package org.jenkinsci.remoting;

import java.io.Serializable;

public interface SerializableOnlyOverRemoting extends Serializable {}
