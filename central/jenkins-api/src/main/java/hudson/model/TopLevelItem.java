// Compile-only declaration of hudson.model.TopLevelItem (Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package hudson.model;

import hudson.ExtensionPoint;

public interface TopLevelItem extends Item, ExtensionPoint, Describable<TopLevelItem> {}
