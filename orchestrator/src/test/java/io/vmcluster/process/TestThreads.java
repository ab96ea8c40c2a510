package io.vmcluster.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Looks at this JVM's kernel tasks: a Java thread's name is its task's comm (first 15 chars). */
final class TestThreads {
    private TestThreads() {}

    static boolean exists(String threadName) throws IOException {
        String comm = threadName.length() > 15 ? threadName.substring(0, 15) : threadName;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.anyMatch(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip().equals(comm);
                } catch (IOException gone) {
                    return false;
                }
            });
        }
    }
}
