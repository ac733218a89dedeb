// Compile-only declaration of hudson.model.ItemGroup (Jenkins core 2.541.x); the real one also extends PersistenceRoot. Not packaged; see central/jenkins-api/signatures.txt.
package hudson.model;

public interface ItemGroup<T extends Item> extends ModelObject {}
