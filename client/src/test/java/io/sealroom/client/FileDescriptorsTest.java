package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.crypto.FileKey;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The files of the wire: descriptors written and read back, malformed ones left out, messages. */
class FileDescriptorsTest {
  private static final String SHA = "ab".repeat(32);
  private static final String SHA2 = "cd".repeat(32);
  private static final String FID = "Rk9PYmFyQmF6UXV4MDEy";
  private static final String TID = "VGh1bWJuYWlsMDAwMDAx";

  private static FileUpload upload(String id, String name, String type, FileKey key) {
    return new FileUpload("r1", id, name, type, 48213, 48229, SHA, key, null, 0, 0);
  }

  @Test
  void descriptorsCarryWhatTheProtocolNamesAndReadBack() {
    FileKey k = FileKey.generate();
    FileKey tk = FileKey.generate();
    FileUpload thumb = new FileUpload("r1", TID, null, "image/jpeg", 5012, 5028, SHA2, tk, null, 0, 0);
    FileUpload u = upload(FID, "plan.png", "image/png", k).withThumbnail(thumb, 320, 180);
    JsonArray d = FileDescriptors.descriptors(List.of(u));
    JsonObject o = d.getJsonObject(0);
    assertEquals(FID, o.getString("id"));
    assertEquals("plan.png", o.getString("name"));
    assertEquals("image/png", o.getString("type"));
    assertEquals(48213L, o.getLong("size"));
    assertEquals(65536, o.getInteger("chunk"));
    assertEquals(SHA, o.getString("sha256"));
    assertEquals(k.keyBase64(), o.getString("key"));
    assertEquals(k.prefixBase64(), o.getString("prefix"));
    JsonObject t = o.getJsonObject("thumb");
    assertEquals(320, t.getInteger("w"));
    assertEquals(180, t.getInteger("h"));
    assertEquals(tk.keyBase64(), t.getString("key"));
    assertEquals(new JsonArray().add(FID).add(TID), FileDescriptors.ids(List.of(u)));

    Attachment a = FileDescriptors.encrypted(new JsonArray(d.encode()), null).get(0);
    assertEquals("plan.png", a.name());
    assertEquals("image/png", a.type());
    assertEquals(48213, a.size());
    assertEquals(SHA, a.storedSha256());
    assertTrue(a.encrypted());
    assertEquals(k, a.key());
    assertEquals(320, a.thumbnail().width());
    assertEquals(tk, a.thumbnail().key());
    assertFalse(a.toString().contains(k.keyBase64()));
    assertFalse(a.toString().contains("plan"));
  }

  @Test
  void aDescriptorWithoutNameOrTypeLeavesThemOut() {
    JsonObject o = FileDescriptors.descriptors(List.of(upload(FID, null, null, FileKey.generate()))).getJsonObject(0);
    assertFalse(o.containsKey("name"));
    assertFalse(o.containsKey("type"));
    assertFalse(o.containsKey("thumb"));
  }

  @Test
  void malformedDescriptorsAreLeftOut() {
    FileKey k = FileKey.generate();
    JsonObject good = FileDescriptors.descriptors(List.of(upload(FID, "n", null, k))).getJsonObject(0);
    JsonArray all = new JsonArray()
        .add(good.copy().put("chunk", 1024))
        .add(good.copy().put("key", "short"))
        .add(good.copy().put("prefix", k.keyBase64()))
        .add(good.copy().put("sha256", SHA.toUpperCase()))
        .add(good.copy().put("size", -1))
        .add(good.copy().put("size", 1.5))
        .add(good.copy().put("id", 7))
        .add("not an object")
        .add(good);
    List<Attachment> read = FileDescriptors.encrypted(all, null);
    assertEquals(1, read.size());
    assertEquals(FID, read.get(0).id());
  }

  @Test
  void anIdOtherThanTwentyLettersAndDigitsMakesTheDescriptorMalformed() {
    FileKey k = FileKey.generate();
    FileUpload thumb = new FileUpload("r1", TID, null, "image/jpeg", 5012, 5028, SHA2, FileKey.generate(), null, 0, 0);
    JsonObject good = FileDescriptors.descriptors(List.of(upload(FID, "n", null, k).withThumbnail(thumb, 32, 18)))
        .getJsonObject(0);
    JsonArray all = new JsonArray();
    for (String bad : new String[] {"f", FID.substring(1), FID + "x", "Rk9PYmFyQmF6UXV4MDE-", "Rk9PYmFyQmF6UXV4MD/y",
        "../../../api/v1/me/x", "Rk9PYmFyQmF6UXV4MD\u00C9y", ""}) {
      all.add(good.copy().put("id", bad));
    }
    all.add(good);
    List<Attachment> read = FileDescriptors.encrypted(all, null);
    assertEquals(1, read.size(), "only the descriptor with a well-formed id is kept");
    assertEquals(FID, read.get(0).id());
    assertEquals(TID, read.get(0).thumbnail().id());

    // a thumbnail with a malformed id is left out, as a thumbnail with any other bad field is
    for (String bad : new String[] {"t", "VGh1bWJuYWlsMDAwMDAx/", "VGh1bWJuYWlsMDAwMD.x"}) {
      JsonObject d = good.copy();
      d.put("thumb", d.getJsonObject("thumb").copy().put("id", bad));
      Attachment a = FileDescriptors.encrypted(new JsonArray().add(d), null).get(0);
      assertEquals(FID, a.id());
      assertNull(a.thumbnail(), "thumbnail id " + bad);
    }
  }

  @Test
  void bidirectionalControlsAreRemovedFromNames() {
    String controls = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C";
    JsonObject d = FileDescriptors.descriptors(List.of(upload(FID, "n", null, FileKey.generate()))).getJsonObject(0);
    d.put("name", "invoice\u202Efdp.exe");
    assertEquals("invoicefdp.exe", FileDescriptors.encrypted(new JsonArray().add(d), null).get(0).name());
    d.put("name", "a" + controls + "b.txt");
    assertEquals("ab.txt", FileDescriptors.encrypted(new JsonArray().add(d), null).get(0).name());
    d.put("name", controls);
    assertNull(FileDescriptors.encrypted(new JsonArray().add(d), null).get(0).name(), "nothing left: no name");
    d.put("name", "\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627.txt");
    assertEquals("\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627.txt",
        FileDescriptors.encrypted(new JsonArray().add(d), null).get(0).name(), "right-to-left letters stay");

    JsonObject f = new JsonObject().put("id", FID).put("size", 11).put("sha256", SHA).put("name", "notes\u2067txt.exe");
    assertEquals("notestxt.exe", FileDescriptors.plain(new JsonArray().add(f)).get(0).name());
  }

  @Test
  void theServersFileObjectShaIsKeptForTheDownloadToCompare() {
    JsonArray d = FileDescriptors.descriptors(List.of(upload(FID, null, null, FileKey.generate())));
    JsonArray server = new JsonArray().add(new JsonObject().put("id", FID).put("sha256", SHA2));
    assertEquals(SHA2, FileDescriptors.encrypted(d, server).get(0).serverSha256());
  }

  @Test
  void aPlainMessagesFilesAreTheServersFileObjects() {
    JsonObject m = new JsonObject().put("room", "r1").put("id", "m1").put("seq", 5L).put("ts", 9L).put("cid", "c")
        .put("from", new JsonObject().put("id", "u1").put("username", "alice"))
        .put("files", new JsonArray().add(new JsonObject().put("id", "f1").put("room", "r1").put("size", 11)
            .put("sha256", SHA).put("name", "notes.txt").put("type", "text/plain").put("createdAt", 1L)));
    ChatMessage c = Wire.plain(m);
    assertEquals(ChatMessage.State.NO_TEXT, c.state());
    assertTrue(c.hasFiles());
    Attachment a = c.files().get(0);
    assertEquals("notes.txt", a.name());
    assertEquals(11, a.size());
    assertFalse(a.encrypted());
    assertNull(a.thumbnail());
    assertTrue(c.toString().contains("files=1"));
    assertFalse(Wire.plain(m.copy().put("text", "x").put("files", new JsonArray())).hasFiles());
  }
}
