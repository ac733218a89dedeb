// Compile-only declaration of hudson.model.AbstractDescribableImpl (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package hudson.model;

@Deprecated(since = "2.505")
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {}
