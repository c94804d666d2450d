package io.switchboard.bench.scrape;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads chosen metrics out of the Prometheus text exposition format. A metric exposed with several
 * label sets (one gauge per function, say) is summed over them, which is what a queue size or a
 * count of busy workers means across the whole server.
 */
public final class PrometheusText {

    private PrometheusText() {}

    /** The value of each of {@code names} found in {@code text}; names absent from it are absent from the map. */
    public static Map<String, Double> values(String text, Set<String> names) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int nameEnd = nameEnd(trimmed);
            String name = trimmed.substring(0, nameEnd);
            if (!names.contains(name)) {
                continue;
            }
            int valueStart = trimmed.charAt(nameEnd) == '{' ? trimmed.lastIndexOf('}') + 1 : nameEnd;
            String[] rest = trimmed.substring(valueStart).trim().split("\\s+");
            Double value = parse(rest[0]);
            if (value != null) {
                values.merge(name, value, Double::sum);
            }
        }
        return values;
    }

    private static int nameEnd(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '{' || c == ' ' || c == '\t') {
                return i;
            }
        }
        return line.length() - 1;
    }

    private static @Nullable Double parse(String value) {
        try {
            double parsed = Double.parseDouble(value);
            return Double.isFinite(parsed) ? parsed : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
