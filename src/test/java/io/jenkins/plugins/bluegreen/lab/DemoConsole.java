package io.jenkins.plugins.bluegreen.lab;

import io.jenkins.plugins.bluegreen.engine.GatePoint;
import io.jenkins.plugins.bluegreen.engine.RolloutEvent;
import io.jenkins.plugins.bluegreen.engine.RolloutTarget;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * TEST CODE: the demo's terminal. Engine events become one line each (phase, pre-flight, traffic, rollback); gate
 * evaluations update a status line showing each gate's latest value against its threshold with a progress bar for
 * the window, rewritten in place on a terminal and printed every few seconds otherwise. Failing gates get a line.
 */
final class DemoConsole {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final int BAR = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final boolean colour;
    private final Map<String, GatePoint> latest = new LinkedHashMap<>();
    private String statusLine = "";
    private long lastPlainStatus;

    DemoConsole(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.colour = terminal && System.getenv("NO_COLOR") == null;
    }

    synchronized void section(String title) {
        clearStatus();
        out.println();
        out.println(bold("== " + title));
    }

    synchronized void info(String text) {
        clearStatus();
        out.println("   " + text);
    }

    /** An engine event, as the rollout listener hands it over. */
    synchronized void event(RolloutTarget target, RolloutEvent e) {
        if (e.gate() != null) {
            latest.put(e.gate().gate(), e.gate());
            if ("FAIL".equals(e.gate().verdict())) {
                line("gate", red(e.message()));
            }
            return;
        }
        String text = e.message();
        if ("rollback".equals(e.type())) {
            text = red(text);
        } else if ("phase".equals(e.type()) && (text.contains("promoted") || text.contains("decommissioned"))) {
            text = green(text);
        }
        line(e.type(), text);
    }

    /** A window in progress: the gates' latest values and how much of the window has passed. */
    synchronized void progress(String what, Instant start, Duration length, Instant now) {
        double done = Math.min(1.0, Duration.between(start, now).toMillis() / (double) Math.max(1, length.toMillis()));
        int filled = (int) Math.round(done * BAR);
        StringBuilder s = new StringBuilder("   ").append(what).append(" [")
                .append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ")
                .append(String.format(Locale.ROOT, "%4.1f/%.0f s", Duration.between(start, now).toMillis() / 1000.0,
                        length.toMillis() / 1000.0));
        for (GatePoint p : latest.values()) {
            // the gate's own value (max of its query), said as the log says it: the comparison is the failing condition
            s.append("  ").append(p.gate()).append(' ')
                    .append(p.value() == null ? "no data" : significant(p.value()))
                    .append(" (fails when ").append(p.comparison()).append(' ').append(number(p.threshold())).append(") ")
                    .append(verdict(p.verdict()));
        }
        if (terminal) {
            statusLine = s.toString();
            out.print("\r\u001b[2K" + statusLine);
            out.flush();
        } else if (System.currentTimeMillis() - lastPlainStatus >= 3000 || done >= 1.0) {
            lastPlainStatus = System.currentTimeMillis();
            out.println(s);
        }
    }

    synchronized void resetGates() {
        latest.clear();
    }

    synchronized void println(String text) {
        clearStatus();
        out.println(text);
    }

    private void line(String type, String text) {
        clearStatus();
        String time = LocalTime.now(ZoneId.systemDefault()).format(TIME);
        out.printf(Locale.ROOT, "   %s  %-9s %s%n", dim(time), type, text);
    }

    private void clearStatus() {
        if (terminal && !statusLine.isEmpty()) {
            out.print("\r\u001b[2K");
            statusLine = "";
        }
    }

    private String verdict(String v) {
        return "FAIL".equals(v) ? red(v) : "PASS".equals(v) ? green(v) : v;
    }

    /** Four significant digits, no exponent: {@code 0.002135}, {@code 1}. */
    static String significant(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    String bold(String s) {
        return colour ? "\u001b[1m" + s + "\u001b[0m" : s;
    }

    String red(String s) {
        return colour ? "\u001b[31m" + s + "\u001b[0m" : s;
    }

    String green(String s) {
        return colour ? "\u001b[32m" + s + "\u001b[0m" : s;
    }

    private String dim(String s) {
        return colour ? "\u001b[2m" + s + "\u001b[0m" : s;
    }
}
