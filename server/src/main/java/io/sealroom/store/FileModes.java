package io.sealroom.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Owner-only permissions for what the store writes: password hashes, wrapped private keys and
 * plain-room history. Directories are 0700, files 0600, whichever engine made them (RocksDB,
 * the store process's H2 file, backups, exports). Java cannot set the process's umask, and
 * RocksDB creates its files 0644 (less the umask), so directories are made 0700 when created and
 * files are tightened after the fact: at open, after RocksDB makes new files, at close. The
 * directory being 0700 is what keeps other users out in between. Tightening takes away what
 * group and others may do and leaves the owner's bits as they are (a 0644 file becomes 0600, a
 * 0755 directory 0700). On a file system without POSIX permissions nothing is changed.
 */
public final class FileModes {
  public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final FileAttribute<Set<PosixFilePermission>> DIR_ATTR = PosixFilePermissions.asFileAttribute(DIR);
  private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTR = PosixFilePermissions.asFileAttribute(FILE);
  private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
  private static final Logger LOG = Logger.getLogger(FileModes.class.getName());

  private FileModes() {
  }

  /**
   * Creates the directory, and its missing parents, 0700; an existing directory is left as it is
   * (see {@link #tighten}).
   */
  public static Path createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    try {
      return Files.createDirectories(dir, DIR_ATTR);
    } catch (UnsupportedOperationException e) {
      return Files.createDirectories(dir);
    }
  }

  /**
   * Creates the file 0600 (empty), or makes an existing one owner-only, before anything is
   * written to it.
   */
  public static Path createPrivateFile(Path file) throws IOException {
    try {
      Files.createFile(file, FILE_ATTR);
    } catch (FileAlreadyExistsException e) {
      ownerOnly(file);
    } catch (UnsupportedOperationException e) {
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
    }
    return file;
  }

  /**
   * Takes group and other permissions away from root and everything under it (the store's 0755
   * directories become 0700, its 0644 files 0600), without following links; files that disappear
   * meanwhile are skipped, and one that cannot be changed (another owner) is logged and skipped.
   * Returns how many were changed.
   */
  public static int tighten(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    int[] changed = {0};
    int[] refused = {0};
    IOException[] first = {null};
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        apply(dir);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          apply(file); // links and special files are left alone
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE; // deleted while we looked (an obsolete log or table file)
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        return FileVisitResult.CONTINUE;
      }

      private void apply(Path p) {
        try {
          if (ownerOnly(p)) {
            changed[0]++;
          }
        } catch (NoSuchFileException gone) {
          // deleted while we looked
        } catch (IOException e) {
          refused[0]++;
          if (first[0] == null) {
            first[0] = e;
          }
        }
      }
    });
    if (refused[0] > 0) {
      LOG.warning("could not make " + refused[0] + " files or directories under " + root.toAbsolutePath()
          + " owner-only (" + first[0] + "): give them to the user the server runs as");
    }
    return changed[0];
  }

  /**
   * A data directory as a node or the store process starts on it: created 0700 if missing, and
   * everything in it made owner-only, with one log line when something was not (a directory of
   * an earlier version, or one copied with other permissions).
   */
  public static void prepareDataDir(Path dir) throws IOException {
    createPrivateDirectories(dir);
    int changed = tighten(dir);
    if (changed > 0) {
      LOG.info("tightened the permissions of " + changed + " files and directories under " + dir.toAbsolutePath()
          + " to owner-only (directories 0700, files 0600)");
    }
  }

  /**
   * Takes group and other permissions away; true when there were any, false too for a link or
   * where permissions are not POSIX. By path (stat and chmod), never by opening the file: closing
   * a descriptor of a file drops every POSIX lock this process holds on it, such as RocksDB's
   * LOCK and H2's store file (which is what the JDK's no-follow variant would do).
   */
  private static boolean ownerOnly(Path p) throws IOException {
    PosixFileAttributes attrs;
    try {
      attrs = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException notPosix) {
      return false;
    }
    Set<PosixFilePermission> mode = attrs.permissions();
    if (attrs.isSymbolicLink() || !mode.removeAll(NOT_OWNER)) {
      return false;
    }
    Files.setPosixFilePermissions(p, mode);
    return true;
  }
}
