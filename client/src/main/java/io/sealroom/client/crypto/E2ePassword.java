package io.sealroom.client.crypto;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Generated E2E passwords: {@link #WORDS} words drawn uniformly from a shipped list of 2048
 * lower-case English words (11 bits each), joined by single spaces, e.g. "maple otter brisk ...".
 * Seven words give 77 bits, above the 72 DESIGN.md asks for, and are easy to copy by hand.
 * Thread-safe: the list is loaded once and SecureRandom is thread-safe.
 */
public final class E2ePassword {
  /** Words in a generated password. */
  public static final int WORDS = 7;
  /** Size of the word list: a power of two, so every word carries exactly 11 bits. */
  public static final int LIST_SIZE = 2048;

  private static final String RESOURCE = "words.txt";
  private static final Pattern WORD = Pattern.compile("[a-z]{3,8}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private E2ePassword() {
  }

  /** A new password of {@link #WORDS} words. Secret: show it to its owner, never log it. */
  public static String generate() {
    return generate(WORDS);
  }

  /** A new password of the given number of words (at least 1). */
  public static String generate(int words) {
    if (words < 1) {
      throw new IllegalArgumentException("at least one word");
    }
    List<String> list = Holder.WORDS;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(list.get(RANDOM.nextInt(list.size()))); // nextInt(bound) is unbiased
    }
    return sb.toString();
  }

  /** Entropy of a generated password of this many words: 11 bits per word. */
  public static double entropyBits(int words) {
    if (words < 0) {
      throw new IllegalArgumentException("words must not be negative");
    }
    return words * (double) Integer.numberOfTrailingZeros(LIST_SIZE); // log2 of a power of two, exactly
  }

  /** The word list, in file order (read-only). */
  public static List<String> wordList() {
    return Holder.WORDS;
  }

  /** Lazy holder: the list is read and checked on first use, once. */
  private static final class Holder {
    static final List<String> WORDS = load();

    private static List<String> load() {
      try (InputStream in = E2ePassword.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("word list " + RESOURCE + " is missing from the class path");
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<String> words = new ArrayList<>(LIST_SIZE);
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (!line.isEmpty()) {
            words.add(line);
          }
        }
        check(words);
        return List.copyOf(words);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read word list " + RESOURCE, e);
      }
    }

    // a damaged list would silently weaken every password: refuse to generate from one
    private static void check(List<String> words) {
      if (words.size() != LIST_SIZE || new HashSet<>(words).size() != LIST_SIZE) {
        throw new IllegalStateException("word list must hold " + LIST_SIZE + " distinct words");
      }
      for (String w : words) {
        if (!WORD.matcher(w).matches()) {
          throw new IllegalStateException("word list holds a word outside a-z, 3 to 8 letters");
        }
      }
    }
  }
}
