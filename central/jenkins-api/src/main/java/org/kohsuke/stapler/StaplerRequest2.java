// Compile-only declaration of org.kohsuke.stapler.StaplerRequest2 (Stapler, shipped with Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package org.kohsuke.stapler;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import net.sf.json.JSONObject;

public interface StaplerRequest2 extends HttpServletRequest {
    <T> T bindJSON(Class<T> type, JSONObject src);

    void bindJSON(Object bean, JSONObject src);

    JSONObject getSubmittedForm() throws ServletException;
}
