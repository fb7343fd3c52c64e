package io.sealroom.store.contract;

import static io.sealroom.store.contract.Fixtures.await;
import static io.sealroom.store.contract.Fixtures.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealroom.messages.Message;
import io.sealroom.messages.MessageStore;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.TimelineEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Timeline events and the signer's key version of messages, in the {@link MessageStore} of every engine. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sealroom.store.contract.StoreEngine#all")
class TimelineStoreContractTest {
  @Parameter
  StoreEngine engine;

  @AfterParameterizedClassInvocation
  static void closeEngine(StoreEngine engine) {
    engine.close();
  }

  @Test
  void eventsAndKeyVersionsOfMessagesReadBackAsTheyWereStored() {
    MessageStore messages = engine.stores().messages();
    Room room = channel();
    await(engine.stores().rooms().insertRoom(room));
    String rid = room.id();
    Message event = Fixtures.event(rid, 1);
    Message signed = Fixtures.encryptedWithUkid(rid, 2, "ciphertext", "ukidAAAAAAAAAAAA");
    Message renamed = new Message(Fixtures.id(), rid, 3, "u", "name-u", 5, Message.EVENT_CID_PREFIX + Fixtures.id(),
        null, null, TimelineEvent.renamed("member 1 and friends"));
    await(messages.insertOrdered(List.of(event, signed, renamed)));
    assertEquals(List.of(event, signed, renamed), await(messages.range(rid, 1, 3)));
    assertEquals(3L, await(messages.head(rid)));
    assertEquals(List.of(), await(messages.searchText(List.of(rid), "member", 10)), "events never match search");
  }
}
