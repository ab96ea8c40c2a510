package io.vmcluster.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The JUnit XML of a suite: one {@code testsuites} holding each unit's {@code testsuite} as its own
 * {@code test-output.xml} wrote it (failures, {@code system-out} and all), renamed after the unit
 * ({@code NAME/round-K}) with its {@code hostname}, each test case's {@code classname} the unit so
 * CI reporters keep rounds apart; the totals are the sums. A unit of a shard the merge went without
 * ({@link MissingShard}) is a {@code testsuite} of its own with one {@code testcase} in error, so
 * a CI reporter does not count a partial suite as a green one.
 */
public final class JUnitXmlMerge {
    private JUnitXmlMerge() {}

    /**
     * One unit's JUnit file.
     *
     * @param unit the unit's id
     * @param host the machine that ran it, or empty
     * @param xml its test-output.xml
     */
    public record Part(String unit, String host, Path xml) {}

    /** {@link #write(String, List, List, Path)} with nothing missing. */
    public static void write(String name, List<Part> parts, Path target) {
        write(name, parts, List.of(), target);
    }

    /**
     * Writes {@code target} from the parts, in their order, then one erring test suite per unit of
     * the missing shards.
     *
     * @throws IllegalArgumentException naming the part whose file is not JUnit XML
     */
    public static void write(String name, List<Part> parts, List<MissingShard> missing, Path target) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setExpandEntityReferences(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = f.newDocumentBuilder();
            Document out = builder.newDocument();
            Element root = out.createElement("testsuites");
            out.appendChild(root);
            long tests = 0, failures = 0, errors = 0, skipped = 0;
            double time = 0;
            for (Part p : parts) {
                Document in;
                try {
                    in = builder.parse(p.xml().toFile());
                } catch (SAXException e) {
                    throw new IllegalArgumentException(p.xml() + ": not JUnit XML: " + e.getMessage(), e);
                }
                Element suite = in.getDocumentElement();
                if (!suite.getTagName().equals("testsuite")) {
                    throw new IllegalArgumentException(
                            p.xml() + ": its root is <" + suite.getTagName() + ">, not one <testsuite>");
                }
                Element copy = (Element) out.importNode(suite, true);
                copy.setAttribute("name", p.unit());
                if (!p.host().isEmpty()) copy.setAttribute("hostname", p.host());
                NodeList cases = copy.getElementsByTagName("testcase");
                for (int i = 0; i < cases.getLength(); i++) {
                    ((Element) cases.item(i)).setAttribute("classname", p.unit());
                }
                root.appendChild(out.createTextNode("\n"));
                root.appendChild(copy);
                tests += number(copy, "tests");
                failures += number(copy, "failures");
                errors += number(copy, "errors");
                skipped += number(copy, "skipped");
                time += decimal(copy, "time");
            }
            for (MissingShard m : missing) {
                for (String unit : m.units()) {
                    Element suite = out.createElement("testsuite");
                    suite.setAttribute("name", unit);
                    suite.setAttribute("tests", "1");
                    suite.setAttribute("failures", "0");
                    suite.setAttribute("errors", "1");
                    suite.setAttribute("skipped", "0");
                    suite.setAttribute("time", "0");
                    Element c = out.createElement("testcase");
                    c.setAttribute("name", "missing");
                    c.setAttribute("classname", unit);
                    c.setAttribute("time", "0");
                    Element error = out.createElement("error");
                    error.setAttribute("type", "missing");
                    String what = unit + " did not run here: shard " + m.shard() + "/" + m.count()
                            + " was merged without (" + m.reason() + ")";
                    error.setAttribute("message", XmlText.legal(what));
                    error.setTextContent(XmlText.legal(what));
                    c.appendChild(error);
                    suite.appendChild(c);
                    root.appendChild(out.createTextNode("\n"));
                    root.appendChild(suite);
                    tests++;
                    errors++;
                }
            }
            root.appendChild(out.createTextNode("\n"));
            root.setAttribute("name", XmlText.legal(name));
            root.setAttribute("tests", Long.toString(tests));
            root.setAttribute("failures", Long.toString(failures));
            root.setAttribute("errors", Long.toString(errors));
            root.setAttribute("skipped", Long.toString(skipped));
            root.setAttribute("time", String.format(Locale.ROOT, "%.3f", time));
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            try (OutputStream o = Files.newOutputStream(target)) {
                t.transform(new DOMSource(out), new StreamResult(o));
            }
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException("cannot merge JUnit XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static long number(Element e, String attr) {
        try {
            return Long.parseLong(e.getAttribute(attr));
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    private static double decimal(Element e, String attr) {
        try {
            return Double.parseDouble(e.getAttribute(attr));
        } catch (NumberFormatException ex) {
            return 0;
        }
    }
}
