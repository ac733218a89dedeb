// Compile-only declaration of org.jenkinsci.plugins.workflow.actions.PersistentAction (workflow-api 1413.v2ff1a_5e720fa_). Not packaged; see central/jenkins-api/signatures.txt.
package org.jenkinsci.plugins.workflow.actions;

import hudson.model.Action;

public interface PersistentAction extends Action {}
