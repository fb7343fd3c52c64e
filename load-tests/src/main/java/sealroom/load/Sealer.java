package sealroom.load;

/** Encrypted rooms: the sender's room key and signing key (not done yet). */
final class Sealer {
  private Sealer() { }

  static Sealer establish(SealroomApi api, String token, String room) {
    throw new UnsupportedOperationException("--encrypted is not implemented yet");
  }

  static void uploadKeys(SealroomApi api, java.util.List<String> tokens, int conc) {
    throw new UnsupportedOperationException("--encrypted is not implemented yet");
  }

  static java.util.concurrent.CompletableFuture<Sealer> establishAsync(SealroomApi api, String token, String room) {
    throw new UnsupportedOperationException("--encrypted is not implemented yet");
  }

  String kid() { return null; }

  String sendFrame(String room, String cid, String text) { throw new UnsupportedOperationException(); }
}
