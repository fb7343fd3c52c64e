package io.sealroom.client.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class E2ePasswordTest {
  @Test
  void wordListFileHolds2048DistinctLowerCaseWordsOfThreeToEightLetters() throws Exception {
    String text;
    try (InputStream in = E2ePassword.class.getResourceAsStream("words.txt")) {
      assertNotNull(in, "words.txt on the class path");
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(text.endsWith("\n") && !text.contains("\r"), "one word a line, LF endings");
    List<String> lines = List.of(text.split("\n"));
    assertEquals(2048, lines.size());
    assertEquals(2048, new HashSet<>(lines).size(), "distinct");
    for (String w : lines) {
      assertTrue(w.matches("[a-z]{3,8}"), "a-z, 3 to 8 letters: '" + w + "'");
    }
    assertEquals(lines, E2ePassword.wordList());
  }

  @Test
  void passwordsAreSevenListWordsSeparatedBySingleSpaces() {
    Set<String> list = new HashSet<>(E2ePassword.wordList());
    String p = E2ePassword.generate();
    String[] words = p.split(" ", -1);
    assertEquals(E2ePassword.WORDS, words.length);
    assertEquals(7, words.length);
    for (String w : words) {
      assertTrue(list.contains(w));
    }
    assertEquals(3, E2ePassword.generate(3).split(" ").length);
    assertThrows(IllegalArgumentException.class, () -> E2ePassword.generate(0));
  }

  @Test
  void sevenWordsCarry77BitsAtLeastTheRequired72() {
    assertEquals(11.0, E2ePassword.entropyBits(1));
    assertEquals(77.0, E2ePassword.entropyBits(E2ePassword.WORDS));
    assertTrue(E2ePassword.entropyBits(E2ePassword.WORDS) >= 72);
  }

  @Test
  void aThousandPasswordsAreDistinctAndSpreadOverTheList() {
    Set<String> passwords = new HashSet<>();
    Set<String> wordsSeen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String p = E2ePassword.generate();
      passwords.add(p);
      wordsSeen.addAll(List.of(p.split(" ")));
    }
    assertEquals(1000, passwords.size());
    // 7000 uniform draws from 2048 words reach about 1980 of them; a broken generator reaches few
    assertTrue(wordsSeen.size() > 1850, "distinct words drawn: " + wordsSeen.size());
  }
}
