package dev.timon.kubelet.node;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Facts about the machine from /proc, /etc and the network interfaces. */
public final class MachineInfo {
    private MachineInfo() {
    }

    public static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** A field of /proc/meminfo in bytes (MemTotal, MemAvailable). */
    public static long meminfo(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // Fall through.
        }
        return 0;
    }

    public static String kernel() {
        return read("/proc/sys/kernel/osrelease", "unknown");
    }

    public static String osImage() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // Fall through.
        }
        return "Linux";
    }

    public static String machineId() {
        return read("/etc/machine-id", "");
    }

    public static String bootId() {
        return read("/proc/sys/kernel/random/boot_id", "");
    }

    public static String systemUuid() {
        return read("/sys/class/dmi/id/product_uuid", "");
    }

    /** GOARCH naming, as nodes report it. */
    public static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }

    public static String hostname() {
        String name = read("/proc/sys/kernel/hostname", "localhost");
        return name.toLowerCase();
    }

    public static int pidMax() {
        return Integer.parseInt(read("/proc/sys/kernel/pid_max", "32768"));
    }

    public static int processCount() {
        try (var list = Files.list(Path.of("/proc"))) {
            return (int) list.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The node's InternalIP: the IPv4 address of the interface carrying the default route, else of any up,
     * non-loopback interface that is not a bridge or veth of the pod network; 127.0.0.1 only as a last resort.
     * The hostname resolves to 127.0.0.1 here, so it cannot be used.
     */
    public static String internalIp() {
        Optional<String> routed = defaultRouteInterface().flatMap(MachineInfo::ipv4Of);
        if (routed.isPresent()) {
            return routed.get();
        }
        try {
            for (var nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                String name = nic.getName();
                if (nic.isUp() && !nic.isLoopback() && !name.startsWith("veth") && !name.startsWith("timon")
                        && !name.startsWith("cni")) {
                    var ip = ipv4Of(name);
                    if (ip.isPresent()) {
                        return ip.get();
                    }
                }
            }
        } catch (SocketException e) {
            // Fall through.
        }
        return "127.0.0.1";
    }

    private static Optional<String> defaultRouteInterface() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/route"))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 2 && fields[1].equals("00000000")) {
                    return Optional.of(fields[0]);
                }
            }
        } catch (IOException e) {
            // Fall through.
        }
        return Optional.empty();
    }

    private static Optional<String> ipv4Of(String interfaceName) {
        try {
            var nic = NetworkInterface.getByName(interfaceName);
            if (nic == null) {
                return Optional.empty();
            }
            List<InetAddress> addresses = Collections.list(nic.getInetAddresses());
            return addresses.stream().filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                    .map(InetAddress::getHostAddress).findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    /** Total and usable bytes of the file system holding {@code dir}. */
    public static Map<String, Long> fileSystem(Path dir) {
        try {
            var store = Files.getFileStore(dir);
            return Map.of("total", store.getTotalSpace(), "available", store.getUsableSpace());
        } catch (IOException e) {
            return Map.of("total", 0L, "available", 0L);
        }
    }

    private static String read(String file, String fallback) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return fallback;
        }
    }
}
