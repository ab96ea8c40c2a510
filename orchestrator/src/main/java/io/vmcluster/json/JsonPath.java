package io.vmcluster.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small JSONPath subset scenarios and workloads need: {@code $}, {@code .name}, {@code ['name']},
 * {@code [3]}, {@code [-1]} (from the end), {@code [*]} (every element of a list: the result is the
 * list of what the rest of the path selects in each, elements where it leads nowhere left out) and a
 * final {@code .length()}.
 */
public final class JsonPath {
    private static final Pattern SEGMENT =
            Pattern.compile("\\.length\\(\\)$|\\.([A-Za-z_][A-Za-z0-9_\\-]*)|\\['([^']*)']|\\[(-?\\d+)]|(\\[\\*])");

    private JsonPath() {}

    /** Null if {@code path} is valid, else what is wrong with it. */
    public static String check(String path) {
        try {
            segments(path);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The value at {@code path}, or null when the path leads nowhere. */
    public static JsonNode select(JsonNode root, String path) {
        return select(root, segments(path), 0);
    }

    private static JsonNode select(JsonNode root, List<Object> segments, int from) {
        JsonNode cur = root;
        for (int s = from; s < segments.size(); s++) {
            Object seg = segments.get(s);
            if (cur == null) return null;
            if (seg == EVERY) {
                if (!cur.isArray()) return null;
                com.fasterxml.jackson.databind.node.ArrayNode out =
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
                for (JsonNode element : cur) {
                    JsonNode v = select(element, segments, s + 1);
                    if (v != null && !v.isMissingNode()) out.add(v);
                }
                return out;
            } else if (seg == LENGTH) {
                return cur.isContainerNode() ? IntNode.valueOf(cur.size()) : null;
            } else if (seg instanceof Integer i) {
                if (!cur.isArray()) return null;
                int idx = i < 0 ? cur.size() + i : i;
                cur = idx >= 0 && idx < cur.size() ? cur.get(idx) : null;
            } else {
                cur = cur.isObject() ? cur.get((String) seg) : null;
            }
        }
        return cur;
    }

    private static final Object LENGTH = new Object();
    private static final Object EVERY = new Object();

    private static List<Object> segments(String path) {
        if (!path.startsWith("$")) {
            throw new IllegalArgumentException(
                    "a JSONPath starts with $ (like $.leader or $[0].status), found '" + path + "'");
        }
        List<Object> out = new ArrayList<>();
        Matcher m = SEGMENT.matcher(path);
        int pos = 1;
        while (pos < path.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("bad JSONPath '" + path + "' at character " + (pos + 1)
                        + "; use .name, ['name'], [index], [*] and a final .length()");
            }
            if (m.group(1) != null) out.add(m.group(1));
            else if (m.group(2) != null) out.add(m.group(2));
            else if (m.group(3) != null) out.add(Integer.parseInt(m.group(3)));
            else if (m.group(4) != null) out.add(EVERY);
            else out.add(LENGTH);
            pos = m.end();
        }
        return out;
    }
}
