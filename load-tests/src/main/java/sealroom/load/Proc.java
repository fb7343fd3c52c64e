package sealroom.load;

import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and RSS of a process, read from /proc (Linux only; -1 when unreadable). */
final class Proc {
  // USER_HZ is 100 on every mainstream Linux build; /proc/<pid>/stat counts in those ticks.
  private static final double TICK_SECONDS = 0.01;

  private Proc() { }

  /** User plus system CPU seconds of the process, or -1. */
  static double cpuSeconds(String pid) {
    try {
      String s = Files.readString(Path.of("/proc", pid, "stat"));
      // The command name (field 2) may hold spaces: the fixed fields start after its last ')'.
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_SECONDS;
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * CPU seconds the whole machine has been busy since boot, all cores together (the first line
   * of /proc/stat without idle and iowait), or -1: with the tool's and the servers' own CPU it
   * tells how much other processes took during a run.
   */
  static double machineCpuSeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      // cpu user nice system idle iowait irq softirq steal
      for (int i = 1; i <= 8 && i < f.length; i++) if (i != 4 && i != 5) busy += Long.parseLong(f[i]);
      return busy * TICK_SECONDS;
    } catch (Exception e) {
      return -1;
    }
  }

  /** Resident set size in KiB (VmRSS), or -1. */
  static long rssKb(String pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (Exception ignored) { }
    return -1;
  }
}
