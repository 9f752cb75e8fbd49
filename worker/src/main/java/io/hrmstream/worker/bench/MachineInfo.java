package io.hrmstream.worker.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a benchmark ran on, printed with its numbers: the box is shared, so its load is part of the result. */
public final class MachineInfo {

    private static final List<String> RELEVANT_ENV = List.of("OMP_WAIT_POLICY", "OMP_NUM_THREADS",
            "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_ARENA_MAX", "LD_PRELOAD");
    private static final List<String> RELEVANT_PROPERTIES = List.of("ai.djl.offline", "ai.djl.pytorch.num_threads",
            "ai.djl.pytorch.num_interop_threads");

    private MachineInfo() {
    }

    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /** The 1, 5 and 15 minute load averages, or the JVM's 1-minute figure off Linux. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** Resident set size of this process in MiB (VmRSS), empty off Linux. */
    public static Optional<Double> residentMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return Optional.empty();
    }

    public static List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("cpu: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores visible");
        lines.add("jvm: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", args " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        List<String> settings = new ArrayList<>();
        for (String name : RELEVANT_ENV) {
            String value = System.getenv(name);
            if (value != null) settings.add(name + "=" + value);
        }
        for (String name : RELEVANT_PROPERTIES) {
            String value = System.getProperty(name);
            if (value != null) settings.add("-D" + name + "=" + value);
        }
        lines.add("settings: " + (settings.isEmpty() ? "(defaults)" : String.join(" ", settings)));
        return lines;
    }
}
