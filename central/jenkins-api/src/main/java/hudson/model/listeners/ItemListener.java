// Compile-only declaration of hudson.model.listeners.ItemListener (Jenkins core 2.541.x): the members the plugin uses.
// Not packaged; see central/jenkins-api/signatures.txt.
package hudson.model.listeners;

import hudson.ExtensionList;
import hudson.ExtensionPoint;

public class ItemListener implements ExtensionPoint {

    public void onLoaded() {
    }

    public void onBeforeShutdown() {
    }

    public static ExtensionList<ItemListener> all() {
        return ExtensionList.lookup(ItemListener.class);
    }
}
