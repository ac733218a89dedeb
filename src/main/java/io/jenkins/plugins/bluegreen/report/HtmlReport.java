package io.jenkins.plugins.bluegreen.report;

import io.jenkins.plugins.bluegreen.engine.RolloutRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A rollout as one self-contained HTML file: its style sheet inline, its charts inline SVG, no script and nothing
 * fetched from elsewhere, so that it can be archived, mailed or opened from disk years later. It draws the
 * {@link ReportModel}, as the build's "Blue-Green Rollout" page does. Every text from the record is escaped.
 */
public final class HtmlReport {

    private static final String CSS = "report.css";

    private final StringBuilder out = new StringBuilder(32 * 1024);

    private HtmlReport() {}

    /** The report of {@code record}'s current rollout as an HTML5 document. */
    public static String html(RolloutRecord record) {
        return html(ReportModel.of(record));
    }

    /** The report as an HTML5 document. */
    public static String html(ReportModel model) {
        HtmlReport r = new HtmlReport();
        r.document(model);
        return r.out.toString();
    }

    /** Writes the report of {@code record}'s current rollout to {@code file} (UTF-8), creating its directory. */
    public static void write(RolloutRecord record, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(file, html(record), StandardCharsets.UTF_8);
    }

    /** {@code & < > " '} as entities: safe in text and in quoted attribute values. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    b.append("&amp;");
                    break;
                case '<':
                    b.append("&lt;");
                    break;
                case '>':
                    b.append("&gt;");
                    break;
                case '"':
                    b.append("&quot;");
                    break;
                case '\'':
                    b.append("&#39;");
                    break;
                default:
                    b.append(c);
            }
        }
        return b.toString();
    }

    static String styleSheet() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(CSS)) {
            if (in == null) {
                throw new IllegalStateException(CSS + " is missing next to " + HtmlReport.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HtmlReport text(String s) {
        out.append(escape(s));
        return this;
    }

    private HtmlReport raw(String s) {
        out.append(s);
        return this;
    }

    private HtmlReport attr(String name, String value) {
        out.append(' ').append(name).append("=\"").append(escape(value)).append('"');
        return this;
    }

    private HtmlReport attr(String name, double value) {
        out.append(' ').append(name).append("=\"").append(Formats.coord(value)).append('"');
        return this;
    }

    private void document(ReportModel m) {
        raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .raw("<title>").text("Rollout of " + m.getTitle() + ": " + m.getOutcomeLabel()).raw("</title>\n")
                .raw("<style>\n").raw(styleSheet()).raw("</style>\n</head>\n")
                .raw("<body class=\"bgd-page\">\n<main class=\"bgd-report\">\n");
        header(m);
        figures(m);
        if (m.getRecovery() != null) {
            recovery(m.getRecovery());
        }
        raw("<section class=\"bgd-card\">\n<h2>Traffic</h2>\n");
        chart(m.getWeightsChart());
        raw("</section>\n");
        raw("<section class=\"bgd-card\">\n<h2>Gates</h2>\n");
        if (m.getGateCharts().isEmpty()) {
            raw("<p class=\"bgd-empty\">No gate was evaluated.</p>\n");
        }
        for (Chart c : m.getGateCharts()) {
            chart(c);
        }
        raw("</section>\n");
        preflight(m.getPreflight());
        raw("<section class=\"bgd-card\">\n<h2>Timeline</h2>\n");
        table("timeline", m.getTimeline());
        raw("</section>\n");
        raw("<details class=\"bgd-card\">\n<summary>").text("All " + m.getEvents().size() + " events").raw("</summary>\n");
        table("events", m.getEvents());
        raw("</details>\n");
        raw("<footer class=\"bgd-footer\">").text("Written by the Blue-Green Deployment plugin from the rollout record of "
                + m.getTitle() + ". Times are UTC.").raw("</footer>\n");
        raw("</main>\n</body>\n</html>\n");
    }

    private void header(ReportModel m) {
        raw("<header class=\"bgd-header\">\n<div>\n<p class=\"bgd-kicker\">Blue-green rollout</p>\n<h1>").text(m.getTitle()).raw("</h1>\n");
        raw("<p class=\"bgd-summary\">").text(m.getSummary()).raw("</p>\n");
        raw("<p class=\"bgd-versions\">");
        version("candidate", m.getCandidate());
        if (m.getStable() != null) {
            raw(" &#8594; replacing ");
            version("stable", m.getStable());
        }
        raw("</p>\n");
        if (m.getStartedAt() != null) {
            raw("<p class=\"bgd-when\">").text("Started " + m.getStartedText() + ", last event " + m.getEndedText()).raw("</p>\n");
        }
        raw("</div>\n<span id=\"outcome\"").attr("class", m.getOutcomeClass()).attr("data-phase", m.getOutcome()).raw(">")
                .text(m.getOutcomeLabel()).raw("</span>\n</header>\n");
    }

    private void version(String role, Version v) {
        raw("<span").attr("class", v.getSwatchClass()).raw(">&#9679;</span> ").text(role + " " + v.getColor());
        if (v.getImage() != null) {
            raw(" <code>").text(v.getImage()).raw("</code>");
        }
    }

    private void figures(ReportModel m) {
        raw("<section class=\"bgd-figures\">\n");
        for (Figure f : m.getFigures()) {
            raw("<div").attr("class", f.getCssClass()).raw("><span class=\"bgd-figure-label\">").text(f.getLabel())
                    .raw("</span><span class=\"bgd-figure-value\">").text(f.getValue()).raw("</span></div>\n");
        }
        raw("</section>\n");
    }

    private void recovery(Recovery r) {
        raw("<section id=\"recovery\" class=\"bgd-card bgd-recovery\">\n<h2>Rolled back</h2>\n<p class=\"bgd-reason\">")
                .text(r.getReason()).raw("</p>\n<dl>\n");
        row("Time to revert", r.getRecoveryText() + " from " + r.getMeasuredFrom());
        if (r.getDetectedAt() != null) {
            row("Breach detected", r.getDetectedAt());
        }
        row("Rollback started", r.getStartedAt());
        row("Traffic back on stable", r.getCompletedAt() == null ? "not yet" : r.getCompletedAt());
        raw("</dl>\n</section>\n");
    }

    private void row(String term, String value) {
        raw("<dt>").text(term).raw("</dt><dd>").text(value).raw("</dd>\n");
    }

    private void preflight(List<TimelineRow> rows) {
        raw("<section id=\"preflight\" class=\"bgd-card\">\n<h2>Pre-flight checks</h2>\n");
        if (rows.isEmpty()) {
            raw("<p class=\"bgd-empty\">No pre-flight result was recorded.</p>\n");
        } else {
            raw("<ul class=\"bgd-preflight\">\n");
            for (TimelineRow r : rows) {
                raw("<li>").text(r.getMessage()).raw("</li>\n");
            }
            raw("</ul>\n");
        }
        raw("</section>\n");
    }

    private void table(String id, List<TimelineRow> rows) {
        raw("<table").attr("id", id).raw(" class=\"bgd-table\">\n<thead><tr><th>Time</th><th>Since start</th><th>Kind</th><th>Event</th></tr></thead>\n<tbody>\n");
        for (TimelineRow r : rows) {
            raw("<tr><td class=\"bgd-time\"").attr("title", r.getAt()).raw(">").text(r.getClock()).raw("</td><td class=\"bgd-time\">")
                    .text(r.getOffset()).raw("</td><td><span").attr("class", r.getCssClass()).raw(">").text(r.getType())
                    .raw("</span></td><td>").text(r.getMessage()).raw("</td></tr>\n");
        }
        raw("</tbody>\n</table>\n");
    }

    /** The same elements, attributes and order as the build page's Jelly view. */
    private void chart(Chart c) {
        raw("<figure").attr("id", c.getId()).raw(" class=\"bgd-chart\">\n<h3>").text(c.getTitle()).raw("</h3>\n<p>").text(c.getSubtitle())
                .raw("</p>\n");
        raw("<svg xmlns=\"http://www.w3.org/2000/svg\"").attr("viewBox", c.getViewBox()).attr("width", c.getWidth())
                .attr("height", c.getHeight()).attr("role", "img").attr("aria-label", c.getTitle()).raw(">\n");
        for (Tick t : c.getYTicks()) {
            raw("<line class=\"bgd-grid\"").attr("x1", c.getPlotLeft()).attr("x2", c.getPlotRight()).attr("y1", t.getPos())
                    .attr("y2", t.getPos()).raw(" stroke=\"currentColor\" stroke-opacity=\"0.12\"/>\n");
        }
        Threshold th = c.getThreshold();
        if (th != null) {
            raw("<rect class=\"bgd-zone\"").attr("x", c.getPlotLeft()).attr("y", th.getZoneY()).attr("width", c.getPlotWidth())
                    .attr("height", th.getZoneHeight()).attr("fill", th.getZoneFill()).raw(" fill-opacity=\"0.55\"/>\n");
        }
        if (c.getArea() != null) {
            raw("<polygon class=\"bgd-area\"").attr("points", c.getArea()).attr("fill", c.getAreaFill()).raw(" fill-opacity=\"0.12\"/>\n");
        }
        raw("<line class=\"bgd-axis\"").attr("x1", c.getPlotLeft()).attr("x2", c.getPlotLeft()).attr("y1", c.getPlotTop())
                .attr("y2", c.getPlotBottom()).raw(" stroke=\"currentColor\" stroke-opacity=\"0.45\"/>\n");
        raw("<line class=\"bgd-axis\"").attr("x1", c.getPlotLeft()).attr("x2", c.getPlotRight()).attr("y1", c.getPlotBottom())
                .attr("y2", c.getPlotBottom()).raw(" stroke=\"currentColor\" stroke-opacity=\"0.45\"/>\n");
        for (Tick t : c.getYTicks()) {
            raw("<text class=\"bgd-tick\"").attr("x", c.getYLabelX()).attr("y", t.getLabelPos())
                    .raw(" text-anchor=\"end\" font-size=\"11\" fill=\"currentColor\" fill-opacity=\"0.75\">").text(t.getLabel()).raw("</text>\n");
        }
        for (Tick t : c.getXTicks()) {
            raw("<line class=\"bgd-axis\"").attr("x1", t.getPos()).attr("x2", t.getPos()).attr("y1", c.getPlotBottom())
                    .attr("y2", c.getTickEnd()).raw(" stroke=\"currentColor\" stroke-opacity=\"0.45\"/>\n");
            raw("<text class=\"bgd-tick\"").attr("x", t.getPos()).attr("y", t.getLabelPos())
                    .raw(" text-anchor=\"middle\" font-size=\"11\" fill=\"currentColor\" fill-opacity=\"0.75\">").text(t.getLabel()).raw("</text>\n");
        }
        raw("<text class=\"bgd-axis-label\"").attr("x", c.getXAxisLabelX()).attr("y", c.getXAxisLabelY())
                .raw(" text-anchor=\"middle\" font-size=\"11\" fill=\"currentColor\" fill-opacity=\"0.6\">").text(c.getXAxisLabel()).raw("</text>\n");
        raw("<text class=\"bgd-axis-label\"").attr("transform", c.getYAxisLabelTransform())
                .raw(" text-anchor=\"middle\" font-size=\"11\" fill=\"currentColor\" fill-opacity=\"0.6\">").text(c.getYAxisLabel()).raw("</text>\n");
        if (th != null) {
            raw("<line class=\"bgd-threshold\"").attr("x1", c.getPlotLeft()).attr("x2", c.getPlotRight()).attr("y1", th.getY())
                    .attr("y2", th.getY()).attr("stroke", th.getColor()).raw(" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n");
            raw("<text class=\"bgd-threshold-label\"").attr("x", th.getLabelX()).attr("y", th.getLabelY())
                    .attr("fill", th.getColor()).raw(" text-anchor=\"start\" font-size=\"11\">").text(th.getLabel()).raw("</text>\n");
        }
        for (TimeMarker m : c.getMoments()) {
            raw("<line").attr("class", m.getCssClass()).attr("x1", m.getX()).attr("x2", m.getX()).attr("y1", c.getPlotTop())
                    .attr("y2", c.getPlotBottom()).attr("stroke", m.getStroke()).raw(" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"/>\n");
            raw("<text").attr("class", m.getCssClass()).attr("x", m.getLabelX()).attr("y", m.getLabelY()).attr("fill", m.getStroke())
                    .attr("text-anchor", m.getLabelAnchor()).raw(" font-size=\"11\">").text(m.getLabel()).raw("</text>\n");
        }
        for (Polyline l : c.getLines()) {
            raw("<polyline").attr("class", l.getCssClass()).attr("points", l.getPoints()).attr("stroke", l.getStroke())
                    .raw(" fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n");
        }
        for (Marker m : c.getDots()) {
            marker(m, "1");
        }
        for (Marker m : c.getBreaches()) {
            marker(m, "1.5");
        }
        raw("</svg>\n</figure>\n");
    }

    private void marker(Marker m, String ring) {
        raw("<circle").attr("class", m.getCssClass()).attr("cx", m.getX()).attr("cy", m.getY()).attr("r", m.getR())
                .attr("fill", m.getFill()).raw(" stroke=\"#ffffff\" stroke-width=\"" + ring + "\"><title>").text(m.getTitle())
                .raw("</title></circle>\n");
    }
}
