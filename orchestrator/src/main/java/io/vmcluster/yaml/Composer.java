package io.vmcluster.yaml;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Builds the located tree from SnakeYAML's event stream (not its node graph), so that every bound
 * is checked as the document is read, at the event that crosses it: nesting depth, the values
 * aliases repeat, one document per file. Aliases are shared, never copied; merge keys are
 * applied here.
 */
final class Composer {
    private static final Resolver RESOLVER = new Resolver();

    private final Path file;
    private final YamlLimits limits;
    private final Problems problems;
    private final Deque<Open> stack = new ArrayDeque<>();
    private final Map<String, YamlNode> anchors = new HashMap<>();
    private final Set<String> openAnchors = new HashSet<>();
    /** Values under each node (itself included), counting aliases as expanded. */
    private final Map<YamlNode, Long> sizes = new IdentityHashMap<>();
    /** Nesting levels of collections under each node (a scalar has 0). */
    private final Map<YamlNode, Integer> heights = new IdentityHashMap<>();

    private long aliased;
    private YamlNode root;

    Composer(Path file, YamlLimits limits, Problems problems) {
        this.file = file;
        this.limits = limits;
        this.problems = problems;
    }

    /** The root, or null (with a problem) when the document is empty or broke a bound. */
    YamlNode compose(Iterable<Event> events) {
        int documents = 0;
        for (Event e : events) {
            switch (e.getEventId()) {
                case StreamStart, StreamEnd, DocumentEnd, Comment -> {}
                case DocumentStart -> {
                    if (++documents > 1) {
                        problems.add(
                                at(e.getStartMark()),
                                "a second YAML document starts here; the file holds one document (remove the '---')");
                        return null;
                    }
                }
                case MappingStart, SequenceStart -> {
                    if (stack.size() + 1 > limits.maxDepth()) {
                        problems.add(at(e.getStartMark()), tooDeep());
                        return null;
                    }
                    CollectionStartEvent c = (CollectionStartEvent) e;
                    checkCollectionTag(c);
                    Open open = e.getEventId() == Event.ID.MappingStart
                            ? new OpenMap(at(e.getStartMark()), c.getAnchor())
                            : new OpenSeq(at(e.getStartMark()), c.getAnchor());
                    if (c.getAnchor() != null) {
                        openAnchors.add(c.getAnchor());
                    }
                    stack.push(open);
                }
                case MappingEnd, SequenceEnd -> {
                    Open open = stack.pop();
                    YamlNode node = open.close();
                    sizes.put(node, open.size);
                    heights.put(node, open.height + 1);
                    if (open.anchor != null) {
                        openAnchors.remove(open.anchor);
                        anchors.put(open.anchor, node);
                    }
                    if (!add(node, open.size, open.height + 1, null)) return null;
                }
                case Scalar -> {
                    ScalarEvent s = (ScalarEvent) e;
                    YamlNode.Scalar node = scalar(s);
                    boolean merge = isMergeKey(s);
                    sizes.put(node, 1L);
                    heights.put(node, 0);
                    if (s.getAnchor() != null) {
                        anchors.put(s.getAnchor(), node);
                    }
                    if (!add(node, 1, 0, merge ? Boolean.TRUE : null)) return null;
                }
                case Alias -> {
                    String name = ((AliasEvent) e).getAnchor();
                    Location where = at(e.getStartMark());
                    YamlNode target = anchors.get(name);
                    if (target == null) {
                        problems.add(
                                where,
                                openAnchors.contains(name)
                                        ? "alias '*" + name + "' is used inside the value it names (a recursive alias)"
                                        : "alias '*" + name + "' names no anchor '&" + name + "' written before it");
                        return null;
                    }
                    long size = sizes.get(target);
                    aliased += size;
                    if (aliased > limits.maxAliasedValues()) {
                        problems.add(
                                where,
                                "aliases here repeat more than " + limits.maxAliasedValues()
                                        + " values in total (an alias bomb?); write the values out or use fewer"
                                        + " aliases");
                        return null;
                    }
                    int height = heights.get(target);
                    if (stack.size() + height > limits.maxDepth()) {
                        problems.add(where, tooDeep() + " (through alias '*" + name + "')");
                        return null;
                    }
                    if (!add(target, size, height, null)) return null;
                }
                default -> {}
            }
        }
        if (root == null && problems.isEmpty()) {
            problems.add(Location.of(file), "the file is empty");
        }
        return root;
    }

    /** Adds a finished value to the open collection (or makes it the root); false to stop reading. */
    private boolean add(YamlNode node, long size, int height, Boolean mergeKey) {
        Open parent = stack.peek();
        if (parent == null) {
            root = node;
            return true;
        }
        parent.size += size;
        parent.height = Math.max(parent.height, height);
        if (parent instanceof OpenSeq seq) {
            seq.items.add(node);
        } else {
            ((OpenMap) parent).add(node, mergeKey != null);
        }
        return true;
    }

    private String tooDeep() {
        return "mappings and lists nest more than " + limits.maxDepth() + " levels deep here";
    }

    private YamlNode.Scalar scalar(ScalarEvent s) {
        Location where = at(s.getStartMark());
        String tag = s.getTag();
        Tag resolved;
        if (tag == null || tag.equals("!")) {
            resolved = RESOLVER.resolve(
                    NodeId.scalar, s.getValue(), s.getImplicit().canOmitTagInPlainScalar());
        } else {
            resolved = new Tag(tag);
        }
        YamlNode.Scalar.Kind kind;
        if (resolved.equals(Tag.INT)) kind = YamlNode.Scalar.Kind.INT;
        else if (resolved.equals(Tag.FLOAT)) kind = YamlNode.Scalar.Kind.FLOAT;
        else if (resolved.equals(Tag.BOOL)) kind = YamlNode.Scalar.Kind.BOOL;
        else if (resolved.equals(Tag.NULL)) kind = YamlNode.Scalar.Kind.NULL;
        else if (resolved.equals(Tag.STR)
                || resolved.equals(Tag.MERGE)
                || resolved.equals(Tag.TIMESTAMP)
                || resolved.equals(Tag.BINARY) && tag == null) kind = YamlNode.Scalar.Kind.STRING;
        else {
            problems.add(where, unsupportedTag(tag));
            kind = YamlNode.Scalar.Kind.STRING;
        }
        return new YamlNode.Scalar(s.getValue(), kind, where);
    }

    /** The kind a plain scalar with this text resolves to. */
    static YamlNode.Scalar.Kind plainKind(String value) {
        Tag t = RESOLVER.resolve(NodeId.scalar, value, true);
        if (t.equals(Tag.INT)) return YamlNode.Scalar.Kind.INT;
        if (t.equals(Tag.FLOAT)) return YamlNode.Scalar.Kind.FLOAT;
        if (t.equals(Tag.BOOL)) return YamlNode.Scalar.Kind.BOOL;
        if (t.equals(Tag.NULL)) return YamlNode.Scalar.Kind.NULL;
        return YamlNode.Scalar.Kind.STRING;
    }

    private static boolean isMergeKey(ScalarEvent s) {
        if (s.getTag() != null && !s.getTag().equals("!")) {
            return new Tag(s.getTag()).equals(Tag.MERGE);
        }
        return s.getImplicit().canOmitTagInPlainScalar() && s.getValue().equals("<<");
    }

    private void checkCollectionTag(CollectionStartEvent c) {
        String tag = c.getTag();
        if (tag == null || tag.equals("!")) return;
        Tag t = new Tag(tag);
        boolean fits = c.getEventId() == Event.ID.MappingStart ? t.equals(Tag.MAP) : t.equals(Tag.SEQ);
        if (!fits) problems.add(at(c.getStartMark()), unsupportedTag(tag));
    }

    private static String unsupportedTag(String tag) {
        return "the YAML tag '" + tag + "' is not used here; write the value without a tag";
    }

    private Location at(Mark m) {
        return m == null ? Location.of(file) : new Location(file, m.getLine() + 1, m.getColumn() + 1);
    }

    private abstract static class Open {
        final Location location;
        final String anchor;
        long size = 1;
        int height;

        Open(Location location, String anchor) {
            this.location = location;
            this.anchor = anchor;
        }

        abstract YamlNode close();
    }

    private static final class OpenSeq extends Open {
        final List<YamlNode> items = new ArrayList<>();

        OpenSeq(Location location, String anchor) {
            super(location, anchor);
        }

        @Override
        YamlNode close() {
            return new YamlNode.Sequence(items, location);
        }
    }

    private final class OpenMap extends Open {
        private final List<YamlNode.Entry> entries = new ArrayList<>();
        private final Map<String, Location> keys = new LinkedHashMap<>();
        private final List<YamlNode> merges = new ArrayList<>();
        private int mergeAt = -1;
        private YamlNode.Scalar key;
        private boolean keyIsMerge;
        private boolean expectValue;
        private boolean skipValue;

        OpenMap(Location location, String anchor) {
            super(location, anchor);
        }

        void add(YamlNode node, boolean mergeKey) {
            if (!expectValue) {
                expectValue = true;
                skipValue = false;
                if (!(node instanceof YamlNode.Scalar s) || s.kind() == YamlNode.Scalar.Kind.NULL) {
                    problems.add(node.location(), "a key must be a plain name, found " + node.describe());
                    skipValue = true;
                    return;
                }
                key = s;
                keyIsMerge = mergeKey;
                Location first = keys.get(s.value());
                if (first != null) {
                    problems.add(s.location(), "'" + s.value() + "' is given twice (first at " + first + "); keep one");
                    skipValue = true;
                    return;
                }
                keys.put(s.value(), s.location());
                return;
            }
            expectValue = false;
            if (skipValue) return;
            if (keyIsMerge) {
                mergeAt = entries.size();
                if (node instanceof YamlNode.Sequence seq) {
                    merges.addAll(seq.values());
                } else {
                    merges.add(node);
                }
                return;
            }
            entries.add(new YamlNode.Entry(key.value(), key.location(), node));
        }

        @Override
        YamlNode close() {
            if (merges.isEmpty()) {
                return new YamlNode.Mapping(entries, location);
            }
            // Earlier sources win over later ones, explicit keys over all (YAML merge key spec).
            Map<String, YamlNode.Entry> merged = new LinkedHashMap<>();
            for (YamlNode source : merges) {
                if (!(source instanceof YamlNode.Mapping m)) {
                    problems.add(
                            source.location(),
                            "a merge key '<<' takes a mapping (usually an alias like *defaults) or a list of"
                                    + " mappings, found " + source.describe());
                    continue;
                }
                for (YamlNode.Entry e : m.list()) {
                    if (!keys.containsKey(e.key())) merged.putIfAbsent(e.key(), e);
                }
            }
            List<YamlNode.Entry> all = new ArrayList<>(entries.subList(0, mergeAt));
            all.addAll(merged.values());
            all.addAll(entries.subList(mergeAt, entries.size()));
            return new YamlNode.Mapping(all, location);
        }
    }
}
