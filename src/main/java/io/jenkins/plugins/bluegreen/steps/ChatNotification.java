package io.jenkins.plugins.bluegreen.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.Run;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bluegreen.credentials.CredentialsResolver;
import io.jenkins.plugins.bluegreen.notify.NotificationEvent;
import io.jenkins.plugins.bluegreen.notify.WebhookFormat;
import io.jenkins.plugins.bluegreen.notify.WebhookUrl;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One chat webhook a step notifies, as a Pipeline writes it:
 * {@code chat(credentialsId: 'prod-alerts-webhook', on: ['rollback', 'promoted'], format: 'slack')}. The webhook URL
 * is the secret of a secret-text credential, read for each message and never kept, logged or saved; this object holds
 * the ID, the events and the format only, and is saved with the step. Binding never fails; {@link #validate()} runs
 * when the step starts.
 */
public final class ChatNotification implements Describable<ChatNotification>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String credentialsId;
    private String format = WebhookFormat.SLACK.label();
    /** The events as written (lower case), or null for {@link NotificationEvent#DEFAULTS}. */
    private ArrayList<String> on;

    /** @param credentialsId the ID of a secret text holding the webhook URL; never the URL itself */
    @DataBoundConstructor
    public ChatNotification(String credentialsId) {
        this.credentialsId = ClusterStep.trimToNull(credentialsId);
    }

    public @CheckForNull String getCredentialsId() {
        return credentialsId;
    }

    public @NonNull String getFormat() {
        return format;
    }

    /** @param format {@code slack} (the default), {@code teams} or {@code json} */
    @DataBoundSetter
    public void setFormat(String format) {
        String f = ClusterStep.trimToNull(format);
        this.format = f == null ? WebhookFormat.SLACK.label() : f.toLowerCase(Locale.ROOT);
    }

    /** The events as written, or null for the default ({@code rollback} and {@code failed}). */
    public @CheckForNull List<String> getOn() {
        return on == null ? null : new ArrayList<>(on);
    }

    /** @param on the events to announce, e.g. {@code ['rollback', 'promoted']}; none given means rollback and failed */
    @DataBoundSetter
    public void setOn(List<String> on) {
        if (on == null) {
            this.on = null;
            return;
        }
        ArrayList<String> events = new ArrayList<>();
        for (String e : on) {
            events.add(e == null ? "" : e.trim().toLowerCase(Locale.ROOT));
        }
        this.on = events;
    }

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the argument and the rule, in one line
     */
    void validate() {
        if (credentialsId == null) {
            throw new IllegalArgumentException(Messages.ChatNotification_CredentialsIdRequired());
        }
        if (WebhookFormat.fromLabel(format).isEmpty()) {
            throw new IllegalArgumentException(Messages.ChatNotification_FormatInvalid(shorten(format)));
        }
        if (on != null) {
            if (on.isEmpty()) {
                throw new IllegalArgumentException(Messages.ChatNotification_EventsEmpty(NotificationEvent.choices()));
            }
            for (String e : on) {
                if (NotificationEvent.fromLabel(e).isEmpty()) {
                    throw new IllegalArgumentException(Messages.ChatNotification_EventInvalid(shorten(e), NotificationEvent.choices()));
                }
            }
        }
    }

    /** The events announced. */
    Set<NotificationEvent> events() {
        if (on == null) {
            return EnumSet.copyOf(NotificationEvent.DEFAULTS);
        }
        Set<NotificationEvent> events = EnumSet.noneOf(NotificationEvent.class);
        on.forEach(e -> NotificationEvent.fromLabel(e).ifPresent(events::add));
        return events;
    }

    WebhookFormat webhookFormat() {
        return WebhookFormat.fromLabel(format).orElse(WebhookFormat.SLACK);
    }

    /**
     * The webhook URL, read from the credentials for this build and checked; for one message, never kept.
     *
     * @throws AbortException naming the credentials ID and the problem, never the URL
     */
    URI webhookUrl(Run<?, ?> run) throws AbortException {
        String url = CredentialsResolver.webhookUrl(credentialsId, CredentialsResolver.findForRun(credentialsId, run, null));
        try {
            return WebhookUrl.parse(url);
        } catch (WebhookUrl.InvalidWebhookUrlException e) {
            throw new AbortException(Messages.ChatNotification_UrlRefused(credentialsId, e.getMessage()));
        }
    }

    /** E.g. {@code chat 'prod-alerts-webhook' (slack)}: how the log names this notification. */
    @Override
    public String toString() {
        return "chat '" + credentialsId + "' (" + format + ")";
    }

    private static String shorten(String value) {
        return value.length() <= 50 ? value : value.substring(0, 50) + "...";
    }

    @Extension
    @Symbol("chat")
    public static final class DescriptorImpl extends Descriptor<ChatNotification> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ChatNotification_DisplayName();
        }

        /** Secret texts a build of the job may use; only for users who may configure the job (see {@link StepForms}). */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return StepForms.fillCredentialsIdItems(item, null, credentialsId, CredentialsResolver.WEBHOOK_CREDENTIALS);
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            if (ClusterStep.trimToNull(value) == null) {
                return FormValidation.error(Messages.ChatNotification_CredentialsIdRequired());
            }
            return StepForms.checkCredentialsId(item, null, value, CredentialsResolver.WEBHOOK_CREDENTIALS);
        }

        /** The three formats: a fixed list, which reveals nothing. */
        @POST
        public ListBoxModel doFillFormatItems(@QueryParameter String format) {
            String current = ClusterStep.trimToNull(format);
            ListBoxModel model = new ListBoxModel();
            model.add(new ListBoxModel.Option(Messages.ChatNotification_FormatSlack(), "slack", "slack".equalsIgnoreCase(current)));
            model.add(new ListBoxModel.Option(Messages.ChatNotification_FormatTeams(), "teams", "teams".equalsIgnoreCase(current)));
            model.add(new ListBoxModel.Option(Messages.ChatNotification_FormatJson(), "json", "json".equalsIgnoreCase(current)));
            return model;
        }
    }
}
