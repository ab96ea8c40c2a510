package io.vmcluster.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdnExportTest {
    @Test
    void writes_jepsen_operation_maps_one_per_line_without_probes() throws Exception {
        History h = History.of(List.of(
                new Op(0, 123, 0, OpType.INVOKE, OpFunction.WRITE, null, Values.of(3), null, null),
                new Probe(130, "node1", OpFunction.LEADER_STATUS, Values.object("term", 1), null),
                new Op(1, 140, 1, OpType.INVOKE, OpFunction.CAS, Values.of(7), Values.cas(1, 2), "node2", null),
                new Op(2, 150, 0, OpType.OK, OpFunction.WRITE, null, Values.of(3), null, null),
                new Op(
                        3,
                        160,
                        1,
                        OpType.INFO,
                        OpFunction.CAS,
                        Values.of(7),
                        Values.cas(1, 2),
                        "node2",
                        "said \"no\"\n")));
        StringWriter out = new StringWriter();
        EdnExport.write(h, out);
        assertThat(out.toString().split("\n"))
                .containsExactly(
                        "{:index 0, :time 123, :type :invoke, :process 0, :f :write, :value 3}",
                        "{:index 1, :time 140, :type :invoke, :process 1, :f :cas, :value [7 [1 2]], :node \"node2\"}",
                        "{:index 2, :time 150, :type :ok, :process 0, :f :write, :value 3}",
                        "{:index 3, :time 160, :type :info, :process 1, :f :cas, :value [7 [1 2]], :node \"node2\","
                                + " :error \"said \\\"no\\\"\\n\"}");
    }

    @Test
    void writes_values_as_edn() {
        StringBuilder s = new StringBuilder();
        EdnExport.value(Values.fromJava(java.util.Map.of("term", 2)), s);
        s.append(' ');
        EdnExport.value(Values.object("leader", null, "odd key", true, "x", 1.5), s);
        s.append(' ');
        EdnExport.value(Values.list(1, 2, 3), s);
        s.append(' ');
        EdnExport.value(Values.of("k\\1"), s);
        assertThat(s.toString()).isEqualTo("{:term 2} {:leader nil, \"odd key\" true, :x 1.5} [1 2 3] \"k\\\\1\"");
    }

    @Test
    void canonical_values_are_equal_whatever_their_json_number_type() {
        assertThat(Values.canonical(com.fasterxml.jackson.databind.node.IntNode.valueOf(3)))
                .isEqualTo(Values.of(3));
        assertThat(Values.canonical(com.fasterxml.jackson.databind.node.DoubleNode.valueOf(3.0)))
                .isEqualTo(Values.of(3));
        assertThat(Values.canonical(null)).isEqualTo(Values.NULL);
    }
}
