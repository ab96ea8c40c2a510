package io.vmcluster.scenario.parse;

import io.vmcluster.scenario.Location;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/** Reads one YAML document into located nodes; YAML syntax errors become problems with file:line:column. */
public final class YamlReader {
    private YamlReader() {}

    /** The document's root, or null (with a problem recorded) when the file cannot be read or parsed. */
    public static YNode read(Path file, Problems problems) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add(Location.of(file), "no such file");
            return null;
        } catch (IOException e) {
            problems.add(Location.of(file), "cannot read: " + e.getMessage());
            return null;
        }
        return read(text, file, problems);
    }

    public static YNode read(String text, Path file, Problems problems) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setCodePointLimit(10 * 1024 * 1024);
        try {
            Node root = new Yaml(options).compose(new StringReader(text));
            if (root == null) {
                problems.add(Location.of(file), "the file is empty");
                return null;
            }
            return new YNode(root, file);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            Location at =
                    mark == null ? Location.of(file) : new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            problems.add(at, "YAML syntax error: " + what + context);
            return null;
        } catch (YAMLException e) {
            problems.add(Location.of(file), "YAML error: " + e.getMessage());
            return null;
        }
    }
}
