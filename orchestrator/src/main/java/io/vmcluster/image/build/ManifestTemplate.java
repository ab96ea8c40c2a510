package io.vmcluster.image.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vmcluster.image.definition.ImageDefinition;
import io.vmcluster.image.definition.ServiceDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code image.json} of a built image (the contract, images/README.md), from its combined
 * definition; {@code @HASH@} is left for the shell half of the builder, which knows the hash.
 * What the shared runtime implements (the console on hvc0, ssh, the agent port, the readiness
 * line, {@code vmc-svc}, the kernel command line, the entropy device) is the same in every image.
 */
final class ManifestTemplate {
    /** The virtserialport the runtime's supervisors stream service logs on (vmc-supervise). */
    static final String SERVICE_LOG_PORT = "org.vmcluster.services.0";

    static final String CMDLINE = "console=ttyS0 panic=-1 loglevel=4 no_timer_check random.trust_cpu=on";

    private ManifestTemplate() {}

    static String render(ImageDefinition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("version", d.version());
        m.put("definitionHash", "@HASH@");
        m.put("kernel", "vmlinuz");
        m.put("initrd", "initrd.img");
        m.put("rootDisk", null);
        m.put("cmdline", CMDLINE);
        m.put("minMemoryMiB", d.minMemoryMiB().orElse(256));
        m.put("devices", List.of("virtio-rng-pci"));
        m.put("dataDisk", ordered("sizeMiB", d.dataDiskMiB().orElse(256), "serial", "vmc-data"));
        m.put(
                "channels",
                ordered(
                        "console", Map.of("device", "hvc0"),
                        "ssh", ordered("port", 22, "user", "root", "keyParam", "ssh_key"),
                        "agent", Map.of("name", "org.qemu.guest_agent.0")));
        Map<String, Object> readiness = new LinkedHashMap<>();
        readiness.put("serialLine", "VMC-READY {name}");
        d.readiness().flatMap(ImageDefinition.Readiness::command).ifPresent(c -> readiness.put("command", c));
        m.put("readiness", readiness);
        Map<String, Object> services = new LinkedHashMap<>();
        for (ServiceDefinition s : d.services()) {
            services.put(
                    s.name(),
                    ordered(
                            "port",
                            s.port().orElse(null),
                            "protocol",
                            s.port().isPresent() ? s.protocol().label() : null));
        }
        m.put("services", services);
        Map<String, Object> control = new LinkedHashMap<>();
        for (String verb : List.of("start", "stop", "restart", "status")) {
            control.put(verb, "vmc-svc " + verb + " {service}");
        }
        m.put("serviceControl", control);
        m.put("serviceLogs", "/run/vmc/log/{service}.log");
        m.put("serviceLogPort", SERVICE_LOG_PORT);
        m.put("params", new LinkedHashMap<>(d.params()));
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write image.json", e);
        }
    }

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }
}
