// Compile-only declaration of org.kohsuke.stapler.StaplerResponse2 (Stapler, shipped with Jenkins core 2.541.x). Not packaged; see central/jenkins-api/signatures.txt.
package org.kohsuke.stapler;

import jakarta.servlet.http.HttpServletResponse;

public interface StaplerResponse2 extends HttpServletResponse {}
