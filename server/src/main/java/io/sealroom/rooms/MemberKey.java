package io.sealroom.rooms;

/** A room key encrypted to one member (RSA-OAEP-256 under their public key), tagged with its kid. */
public record MemberKey(String kid, String alg, String ct) {
  @Override
  public String toString() {
    return "MemberKey[kid=" + kid + "]";
  }
}
