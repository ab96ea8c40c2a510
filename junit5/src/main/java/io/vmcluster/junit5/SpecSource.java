package io.vmcluster.junit5;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.cluster.spec.ClusterSpecLoader;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Where a test class's cluster definition comes from: {@link VmCluster#file()}, a named static member, or the only one. */
final class SpecSource {
    private SpecSource() {}

    static ClusterSpec of(Class<?> testClass, VmCluster config) {
        String where = "@VmCluster on " + testClass.getName();
        if (!config.file().isEmpty()) {
            if (!config.spec().isEmpty()) {
                throw new ExtensionConfigurationException(where + " names both file = \"" + config.file()
                        + "\" and spec = \"" + config.spec() + "\"; give one of them");
            }
            Path file = Path.of(config.file());
            if (!Files.isRegularFile(file)) {
                throw new ExtensionConfigurationException(where + ": file = \"" + config.file()
                        + "\" is not a file (looked for " + file.toAbsolutePath()
                        + "; a relative path is read from the working directory)");
            }
            return ClusterSpecLoader.load(file);
        }
        List<Member> members = specMembers(testClass);
        if (!config.spec().isEmpty()) {
            List<Member> named = members.stream()
                    .filter(m -> m.getName().equals(config.spec()))
                    .toList();
            if (named.size() != 1) {
                throw new ExtensionConfigurationException(where + ": spec = \"" + config.spec()
                        + "\" is not a static field or static no-argument method of type ClusterSpec"
                        + " in that class; those it has: " + describe(members));
            }
            return read(where, named.get(0));
        }
        if (members.size() != 1) {
            throw new ExtensionConfigurationException(where + " says neither file = \"…\" nor spec = \"…\", and the"
                    + " class has " + (members.isEmpty() ? "no" : members.size())
                    + " static field or no-argument method of type ClusterSpec"
                    + (members.isEmpty() ? "" : " " + describe(members)) + ": name one with spec = \"…\"");
        }
        return read(where, members.get(0));
    }

    /** Static fields of type ClusterSpec and static no-argument methods returning one, in the class and its superclasses. */
    private static List<Member> specMembers(Class<?> testClass) {
        List<Member> found = new ArrayList<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == ClusterSpec.class) {
                    found.add(f);
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isStatic(m.getModifiers())
                        && m.getParameterCount() == 0
                        && m.getReturnType() == ClusterSpec.class
                        && !m.isSynthetic()) {
                    found.add(m);
                }
            }
        }
        return found;
    }

    private static ClusterSpec read(String where, Member member) {
        Object value;
        try {
            if (member instanceof Field f) {
                f.setAccessible(true);
                value = f.get(null);
            } else {
                Method m = (Method) member;
                m.setAccessible(true);
                value = m.invoke(null);
            }
        } catch (InvocationTargetException e) {
            throw new ExtensionConfigurationException(
                    where + ": " + label(member) + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException(where + ": cannot read " + label(member) + ": " + e, e);
        }
        if (value == null) {
            throw new ExtensionConfigurationException(where + ": " + label(member) + " is null");
        }
        return (ClusterSpec) value;
    }

    private static String describe(List<Member> members) {
        return members.isEmpty()
                ? "none"
                : members.stream().map(SpecSource::label).toList().toString();
    }

    private static String label(Member m) {
        return m instanceof Method ? m.getName() + "()" : m.getName();
    }
}
