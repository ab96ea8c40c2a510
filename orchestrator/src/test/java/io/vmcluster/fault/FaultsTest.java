package io.vmcluster.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vmcluster.command.CommandResult;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventSink;
import io.vmcluster.network.InterfaceName;
import io.vmcluster.network.Ipv4Address;
import io.vmcluster.network.MacAddress;
import io.vmcluster.qmp.IoThrottle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults against recording stand-ins of the namespace, QMP, guest shell and lifecycle. */
class FaultsTest {
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<Event> events = new CopyOnWriteArrayList<>();
    /** The bound of every guest command and service-map call, in order. */
    final List<Duration> guestBounds = new CopyOnWriteArrayList<>();

    boolean hostNetem = false;
    String failNft = null;

    @TempDir
    Path runDir;

    Faults faults() {
        List<FaultTarget> nodes = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            nodes.add(node("node" + i, i));
        }
        HostNamespace ns = (argv, stdin, timeout) -> {
            String cmd = String.join(" ", argv);
            log.add("ns: " + cmd + (stdin.isEmpty() ? "" : "\n" + stdin));
            if (cmd.startsWith("sh -c ip link add vmcnetemprobe")) {
                return hostNetem ? ok("") : result(2, "", "Error: Specified qdisc kind is unknown.");
            }
            if (cmd.equals("nft -f -") && failNft != null) {
                return result(1, "", failNft);
            }
            return ok("");
        };
        EventSink sink = events::add;
        return new Faults(new FaultCluster("c1", nodes, ns, runDir), sink);
    }

    FaultTarget node(String name, int i) {
        NodeNic nic = new NodeNic(
                "nic0",
                "net0",
                InterfaceName.of("vt" + i),
                MacAddress.parse("52:54:00:12:34:0" + i),
                Optional.of(Ipv4Address.parse("192.168.1.1" + i)));
        return new FaultTarget() {
            public String name() {
                return name;
            }

            public List<NodeNic> nics() {
                return List.of(nic);
            }

            public QmpPort qmp() {
                return cmd -> {
                    log.add(name + " qmp: " + cmd.name() + " " + cmd.arguments());
                    return JsonNodeFactory.instance.objectNode();
                };
            }

            public CommandResult exec(String cmd, Duration timeout) {
                log.add(name + " sh: " + cmd);
                guestBounds.add(timeout);
                if (cmd.startsWith("p=$(pidof ")) return ok("4242\n");
                return cmd.startsWith("date") ? ok("" + (java.time.Instant.now().getEpochSecond() + 60)) : ok("");
            }

            public NodeLifecycle lifecycle() {
                return new NodeLifecycle() {
                    public void pause() {
                        log.add(name + " pause");
                    }

                    public void resume() {
                        log.add(name + " resume");
                    }

                    public void crash() {
                        log.add(name + " crash");
                    }

                    public void restart() {
                        log.add(name + " restart");
                    }

                    public void reset() {
                        log.add(name + " reset");
                    }

                    public void wipeDisk() {
                        log.add(name + " wipe disk");
                    }

                    public void shutdown() {
                        log.add(name + " shutdown");
                    }

                    public void stopService(String s, Duration timeout) {
                        log.add(name + " stop " + s);
                        guestBounds.add(timeout);
                    }

                    public void startService(String s, Duration timeout) {
                        log.add(name + " start " + s);
                        guestBounds.add(timeout);
                    }
                };
            }

            public Optional<DataDisk> dataDisk() {
                return Optional.of(new DataDisk("data0", "data", "data-qcow2"));
            }
        };
    }

    static CommandResult ok(String stdout) {
        return result(0, stdout, "");
    }

    static CommandResult result(int exit, String stdout, String stderr) {
        return CommandResult.ofText("stand-in", "", exit, stdout, stderr, Duration.ZERO);
    }

    List<String> nftScripts() {
        return log.stream().filter(l -> l.startsWith("ns: nft -f -")).toList();
    }

    @Nested
    class Network {
        @Test
        void partitionWritesTheTableAndCloseEmptiesIt() {
            Faults f = faults();
            Fault p = f.partition(List.of("node1"), List.of("node2", "node3"));
            assertThat(nftScripts()).hasSize(1);
            assertThat(nftScripts().get(0)).contains("iifname \"vt1\" oifname \"vt2\" counter drop");
            p.close();
            p.close();
            assertThat(nftScripts()).as("close twice writes once").hasSize(2);
            assertThat(nftScripts().get(1)).doesNotContain("add rule");
            assertThat(f.active()).isEmpty();
        }

        @Test
        void overlappingCutsUndoInAnyOrder() {
            Faults f = faults();
            Fault a = f.cutOneWay("node1", "node2");
            Fault b = f.cutOneWay("node2", "node3");
            a.close();
            String last = nftScripts().get(nftScripts().size() - 1);
            assertThat(last).contains("comment \"node2->node3\"").doesNotContain("node1->node2");
            b.close();
        }

        @Test
        void aLinkCutByAPartitionAndAOneWayCutDropsArpUntilThePartitionIsGone() {
            Faults f = faults();
            Fault oneWay = f.cutOneWay("node1", "node2");
            Fault p = f.isolate("node1");
            assertThat(nftScripts().get(1))
                    .contains("iifname \"vt1\" oifname \"vt2\" counter drop")
                    .doesNotContain("ether type");
            p.close();
            assertThat(nftScripts().get(2)).contains("iifname \"vt1\" oifname \"vt2\" ether type != arp counter drop");
            oneWay.close();
        }

        @Test
        void healUndoesNetworkFaultsButNotAPause() {
            Faults f = faults();
            f.cutNic("node1");
            f.isolate("node2");
            f.pause("node3");
            f.heal();
            assertThat(log).anyMatch(l -> l.startsWith("node1 qmp: set_link") && l.contains("up=true"));
            assertThat(f.active()).extracting(Fault::kind).containsExactly(FaultKind.PAUSE);
            f.close();
            assertThat(log).contains("node3 resume");
        }

        @Test
        void aRefusedRulesetFailsNamingTheTargetAndLeavesNothingOpen() {
            failNft = "Error: Could not process rule";
            Faults f = faults();
            assertThatThrownBy(() -> f.isolate("node1"))
                    .isInstanceOf(FaultException.class)
                    .hasMessageContaining("partition on [node1] | [node2, node3]")
                    .hasMessageContaining("Could not process rule");
            assertThat(f.active()).isEmpty();
            assertThat(events).extracting(Event::kind).containsExactly("fault.error");
        }

        @Test
        void unknownNodeIsRefusedBeforeAnythingIsTouched() {
            Faults f = faults();
            assertThatThrownBy(() -> f.cutOneWay("node1", "node9"))
                    .hasMessageContaining("no node 'node9'")
                    .hasMessageContaining("[node1, node2, node3]");
            assertThat(log).isEmpty();
        }
    }

    @Nested
    class Impairments {
        @Test
        void withoutHostNetemAutoGoesIntoTheGuestAndSaysSo() {
            Faults f = faults();
            Fault d = f.impair("node1", Impairment.none().delay(Duration.ofMillis(100)));
            assertThat(log)
                    .anyMatch(l -> l.startsWith("node1 sh:") && l.contains("root handle 1: netem delay 100000us"));
            assertThat(events.get(0).fields()).containsEntry("method", "guest-netem");
            d.close();
            assertThat(log.get(log.size() - 1)).startsWith("node1 sh:").endsWith("true");
        }

        @Test
        void withHostNetemAPairGoesOnTheReceiversTapFilteredOnTheSender() {
            hostNetem = true;
            Faults f = faults();
            f.impair(ImpairmentTarget.pair("node1", "node2"), Impairment.none().loss(10));
            assertThat(log)
                    .anyMatch(
                            l -> l.startsWith("ns: tc -batch -")
                                    && l.contains(
                                            "filter add dev vt2 parent 1: protocol ip prio 1 u32 match ip src 192.168.1.11/32"));
            assertThat(events.get(0).fields()).containsEntry("method", "host-netem");
            f.close();
            List<String> tc = log.stream().filter(l -> l.startsWith("ns: tc")).toList();
            assertThat(tc.get(tc.size() - 1)).isEqualTo("ns: tc qdisc del dev vt2 root");
        }

        @Test
        void askingForHostNetemOnAHostWithoutItExplainsWhatToDo() {
            Faults f = faults();
            assertThatThrownBy(() -> f.impair(
                            ImpairmentTarget.node("node1"), Impairment.none().loss(1), ImpairmentMethod.HOST_NETEM))
                    .isInstanceOf(FaultException.class)
                    .hasMessageContaining("lacks sch_netem")
                    .hasMessageContaining("Specified qdisc kind is unknown")
                    .hasMessageContaining("guest-netem");
        }
    }

    @Nested
    class Lifecycle {
        @Test
        void closeUndoesEverythingNewestFirstAndRecordsStartAndEnd() {
            Faults f = faults();
            f.crash("node1");
            f.stopService("node2", "etcd");
            f.slowDisk("node3", IoThrottle.bytesPerSecond(1_000_000));
            f.close();
            int restart = log.indexOf("node1 restart");
            int start = log.indexOf("node2 start etcd");
            int unthrottle = log.indexOf(
                    "node3 qmp: block_set_io_throttle {id=data0, bps=0, bps_rd=0, bps_wr=0, iops=0, iops_rd=0, iops_wr=0}");
            assertThat(unthrottle).isLessThan(start);
            assertThat(start).isLessThan(restart);
            assertThat(events)
                    .extracting(Event::kind)
                    .containsExactly(
                            "fault.start", "fault.start", "fault.start", "fault.end", "fault.end", "fault.end");
            assertThat(events.get(0).node()).isEqualTo("node1");
            assertThat(events.get(0).fields())
                    .containsEntry("faultKind", "crash")
                    .containsKey("applyMs");
        }

        @Test
        void lifecycleValuesGoThroughApplyLikeTheMethods() {
            Faults f = faults();
            List<Fault> paused = f.apply(new FaultSpec.Pause<>(List.of("node1", "node2")));
            List<Fault> crashed = f.apply(new FaultSpec.Crash<>(List.of("node3")));
            List<Fault> stopped = f.apply(new FaultSpec.StopService<>(List.of("node3"), "jobq"));
            List<Fault> down = f.apply(new FaultSpec.Shutdown<>(List.of("node2")));
            assertThat(f.apply(new FaultSpec.Reset<>(List.of("node1"))))
                    .as("an instant fault leaves nothing to undo")
                    .isEmpty();
            assertThat(f.apply(new FaultSpec.KillProcess<>(List.of("node1"), "jobq")))
                    .isEmpty();
            assertThat(paused).extracting(Fault::kind).containsOnly(FaultKind.PAUSE);
            assertThat(crashed.get(0).kind()).isEqualTo(FaultKind.CRASH);
            assertThat(stopped.get(0).kind()).isEqualTo(FaultKind.STOP_SERVICE);
            assertThat(down.get(0).kind()).isEqualTo(FaultKind.SHUTDOWN);
            f.close();
            assertThat(log)
                    .contains(
                            "node1 pause",
                            "node2 pause",
                            "node3 crash",
                            "node3 stop jobq",
                            "node2 shutdown",
                            "node1 reset",
                            "node1 resume",
                            "node3 restart",
                            "node3 start jobq",
                            "node2 restart");
            assertThat(log.stream().filter(l -> l.startsWith("node1 sh: ")).toList())
                    .as("kill_process runs in the guest")
                    .hasSize(1);
        }

        @Test
        void applyWithABoundGivesItToEveryGuestCommandAndServiceCall() {
            Faults f = faults();
            Duration bound = Duration.ofSeconds(7);
            f.apply(new FaultSpec.KillProcess<>(List.of("node1"), "jobq"), bound);
            f.apply(new FaultSpec.SkewClock<>(List.of("node2"), Duration.ofSeconds(60)), bound);
            f.apply(new FaultSpec.StopService<>(List.of("node3"), "jobq"), bound)
                    .forEach(Fault::close);
            assertThat(guestBounds)
                    .as("kill, clock set, service stop, and its undo (service start)")
                    .hasSize(4)
                    .containsOnly(bound);
        }

        @Test
        void applyWithoutABoundKeepsEachDefault() {
            Faults f = faults();
            f.apply(new FaultSpec.KillProcess<>(List.of("node1"), "jobq"));
            f.apply(new FaultSpec.StopService<>(List.of("node3"), "jobq"));
            assertThat(guestBounds).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60));
        }

        @Test
        void aWipedDiskIsAnInstantFaultWithItsMethodAndNothingToUndo() {
            Faults f = faults();
            assertThat(f.apply(new FaultSpec.WipeDisk<>(List.of("node2", "node3"))))
                    .as("nothing brings a lost disk back but a restore")
                    .isEmpty();
            assertThat(log).containsSubsequence("node2 wipe disk", "node3 wipe disk");
            assertThat(events).extracting(Event::kind).containsExactly("fault.instant", "fault.instant");
            assertThat(events.get(0).fields())
                    .containsEntry("faultKind", "wipe-disk")
                    .containsEntry("method", "blank-disk")
                    .containsEntry("target", "node2");
            assertThat(f.active()).isEmpty();
            f.close();
            assertThat(log).as("close has nothing to undo").doesNotContain("node2 restart", "node3 restart");
        }

        @Test
        void resetAndKillAreInstantEvents() {
            Faults f = faults();
            f.reset("node1");
            assertThat(events).extracting(Event::kind).containsExactly("fault.instant");
            assertThatThrownBy(() -> f.killProcess("node1", "etcd; reboot")).hasMessageContaining("must be");
        }

        @Test
        void diskErrorsInsertAndRemoveABlkdebugNode() {
            Faults f = faults();
            Fault e = f.diskErrors("node1");
            e.close();
            List<String> qmp =
                    log.stream().filter(l -> l.startsWith("node1 qmp:")).toList();
            assertThat(qmp).hasSize(4);
            assertThat(qmp.get(0))
                    .contains("blockdev-add")
                    .contains("driver=blkdebug")
                    .contains("image=data-qcow2")
                    .contains("event=read_aio")
                    .contains("event=write_aio");
            assertThat(qmp.get(1))
                    .contains("blockdev-reopen")
                    .contains("driver=raw")
                    .containsPattern("node-name=data[,}]")
                    .contains("file=vmc-blkdebug-f1");
            assertThat(qmp.get(2)).contains("blockdev-reopen").contains("file=data-qcow2");
            assertThat(qmp.get(3)).contains("blockdev-del").contains("vmc-blkdebug-f1");
        }

        @Test
        void captureAddsAFilterDumpIntoTheRunDirectory() {
            Faults f = faults();
            Fault c = f.capture("node2", "nic0");
            assertThat(log.get(0))
                    .contains("object-add")
                    .contains("qom-type=filter-dump")
                    .contains("netdev=net0")
                    .contains(runDir.resolve("captures").toString());
            String file = runDir.resolve("captures/node2-nic0-f1.pcap")
                    .toAbsolutePath()
                    .toString();
            assertThat(c.params()).as("the file is in the handle").containsEntry("file", file);
            assertThat(events.get(0).fields().get("params"))
                    .as("and in the start event")
                    .isEqualTo(Map.of("nic", "nic0", "file", file));
            c.close();
            assertThat(log.get(1)).contains("object-del {id=vmc-capture-f1}");
        }

        @Test
        void skewClockSetsTheGuestClockAndBackToTrueTime() {
            Faults f = faults();
            Fault s = f.skewClock("node1", Duration.ofSeconds(60));
            assertThat(log.get(0)).startsWith("node1 sh: date -u -s @");
            assertThat(events.get(0).fields()).containsEntry("params", Map.of("offsetMs", 60_000L));
        }
    }

    @Nested
    class Wan {
        Map<ImpairmentTarget, Impairment> node1ToNode2(long ms) {
            Impairment d = Impairment.none().delay(Duration.ofMillis(ms));
            Map<ImpairmentTarget, Impairment> m = new java.util.LinkedHashMap<>();
            m.put(ImpairmentTarget.pair("node1", "node2"), d);
            m.put(ImpairmentTarget.pair("node2", "node1"), d);
            return m;
        }

        List<String> guestTc(String node) {
            return log.stream()
                    .filter(l -> l.startsWith(node + " sh:") && l.contains("qdisc"))
                    .toList();
        }

        @Test
        void theWanGoesOnEachSendersNicFilteredOnThePeerAndIsNoFault() {
            Faults f = faults();
            f.wan(node1ToNode2(40));
            assertThat(guestTc("node1").get(guestTc("node1").size() - 1))
                    .contains("netem delay 40000us")
                    .contains("match ip dst 192.168.1.12/32");
            assertThat(guestTc("node2").get(guestTc("node2").size() - 1))
                    .contains("netem delay 40000us")
                    .contains("match ip dst 192.168.1.11/32");
            assertThat(f.active()).as("the WAN is topology, not a fault").isEmpty();
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo(io.vmcluster.events.EventKind.WAN_SET);
                assertThat(e.fields()).containsEntry("method", "guest-netem");
                assertThat((List<?>) e.fields().get("routes")).hasSize(2);
            });
        }

        @Test
        void healLeavesTheWanAndAFaultImpairmentComesOnTopOfIt() {
            Faults f = faults();
            f.wan(node1ToNode2(40));
            f.impair(ImpairmentTarget.pair("node1", "node3"), Impairment.none().loss(10));
            List<String> tc = guestTc("node1");
            assertThat(tc.get(tc.size() - 1)).contains("delay 40000us").contains("loss 10%");
            log.clear();
            f.heal();
            tc = guestTc("node1");
            assertThat(tc.get(tc.size() - 1))
                    .as("after heal the WAN is still there, the loss is gone")
                    .contains("delay 40000us")
                    .doesNotContain("loss");
        }

        @Test
        void anotherWanReplacesTheFirstAndCloseRemovesIt() {
            Faults f = faults();
            f.wan(node1ToNode2(40));
            f.wan(node1ToNode2(75));
            List<String> tc = guestTc("node1");
            assertThat(tc.get(tc.size() - 1)).contains("delay 75000us").doesNotContain("40000us");
            log.clear();
            f.close();
            tc = guestTc("node1");
            assertThat(tc.get(tc.size() - 1))
                    .as("nothing left: the tree is just deleted")
                    .endsWith("true");
        }

        @Test
        void aRebootedNodeGetsItsGuestTreeBackAndOthersAreNotTouched() {
            Faults f = faults();
            f.wan(node1ToNode2(40));
            log.clear();
            f.rebooted("node1");
            assertThat(log)
                    .singleElement()
                    .satisfies(l -> assertThat(l).startsWith("node1 sh:").contains("netem delay 40000us"));
            log.clear();
            f.rebooted("node3");
            assertThat(log).as("node3 has no impairment to put back").isEmpty();
        }

        @Test
        void aCrashedNodeIsRestartedAndItsWanPutBack() {
            Faults f = faults();
            f.wan(node1ToNode2(40));
            Fault crash = f.crash("node1");
            log.clear();
            crash.close();
            assertThat(log.get(0)).isEqualTo("node1 restart");
            assertThat(log.get(1)).startsWith("node1 sh:").contains("netem delay 40000us");
        }

        @Test
        void anUnknownNodeIsRefusedBeforeAnythingIsTouched() {
            Faults f = faults();
            Map<ImpairmentTarget, Impairment> m = Map.of(
                    ImpairmentTarget.pair("node1", "node9"), Impairment.none().loss(1));
            assertThatThrownBy(() -> f.wan(m)).hasMessageContaining("node9");
            assertThat(log).isEmpty();
        }
    }
}
