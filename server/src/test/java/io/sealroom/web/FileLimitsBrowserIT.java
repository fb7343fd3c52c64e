package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * An upload the server refuses says why in the attachment's row, and the message cannot be sent
 * with it until it is removed: a file over files.maxBytes, and one past the user's quota.
 */
class FileLimitsBrowserIT {
  static final String T = "file-limits";
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("files.maxBytes", 1024 * 1024)
      .config("files.quotaBytes", 1536 * 1024)
      .file("files.dir", dir -> Files.createDirectories(dir.resolve("files")))
      .build();
  static final Api api = node.api();
  @TempDir
  Path tmp;

  @Test
  void aRefusedUploadSaysWhyAndHoldsTheMessageBackUntilRemoved() throws Exception {
    String alice = Flows.name("alice");
    api.register(alice, "password-" + alice);
    String token = api.login(alice, "password-" + alice).json().getString("token");
    Api.User bob = api.newUser("bob");
    api.createRoom(new Api.User(null, alice, token), "p", "Limits", List.of(bob.username()));
    try (Browser a = Browser.open("alice", node.baseUrl())) {
      a.login(alice, "password-" + alice);
      a.openRoom("Limits");
      FileFlows.attach(a, FileFlows.write(tmp, "huge.bin", SealedFiles.random(2 * 1024 * 1024)));
      a.waitUntil("refused as too large", () -> a.driver.findElement(FileFlows.row("huge.bin")).getText()
          .contains("The file is larger than this server accepts."));
      a.screenshot(T, "too-large");
      a.type(By.id("composer-input"), "with the huge file");
      a.click(By.id("send-btn"));
      a.waitUntil("the message waits", () -> a.driver.findElement(By.id("attach-note")).getText()
          .contains("Remove it to send the message"));
      assertEquals("with the huge file", a.driver.findElement(By.id("composer-input")).getAttribute("value"));
      a.click(By.cssSelector("button[aria-label='Remove huge.bin']"));
      a.waitGone(FileFlows.row("huge.bin"));

      FileFlows.attach(a, FileFlows.write(tmp, "first.bin", SealedFiles.random(1000 * 1024)));
      FileFlows.waitUploaded(a, "first.bin");
      FileFlows.attach(a, FileFlows.write(tmp, "second.bin", SealedFiles.random(1000 * 1024)));
      a.waitUntil("refused by the quota", () -> a.driver.findElement(FileFlows.row("second.bin")).getText()
          .contains("Your storage quota on this server is used up."));
      a.screenshot(T, "quota");
    }
  }
}
