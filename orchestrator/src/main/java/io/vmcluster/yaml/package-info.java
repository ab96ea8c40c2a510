/**
 * The one reader for every YAML file a user writes (scenarios, cluster files; image definitions
 * and history files use it too): {@link io.vmcluster.yaml.YamlReader} turns a file into a
 * located {@link io.vmcluster.yaml.YamlNode} tree within {@link io.vmcluster.yaml.YamlLimits}
 * (size, nesting, alias expansion), {@link io.vmcluster.yaml.Fields} reads a mapping's fields
 * with types, {@link io.vmcluster.yaml.Problems} collects every {@link io.vmcluster.yaml.Problem}
 * at its {@link io.vmcluster.yaml.Location}, and {@link io.vmcluster.yaml.Suggest} says "did you
 * mean". Bad input never throws from here: it becomes a located problem.
 *
 * <pre>{@code
 * Problems problems = new Problems();
 * YamlNode root = YamlReader.read(Path.of("image.yaml"), problems);
 * if (root != null) {
 *     Fields f = new Fields(root, "the image definition", problems, List.of("name", "packages"));
 *     String name = f.string("name", true, "the image's name");
 * }
 * problems.sorted().forEach(System.err::println);   // file:line:column: message
 * }</pre>
 */
package io.vmcluster.yaml;
