package io.sealroom.store.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sealroom.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The store process's command line: defaults, both option forms, and one message naming each bad argument. */
class StoreArgsTest {

  @Test
  void defaultsWithoutArguments() {
    assertEquals(new StoreArgs("127.0.0.1", 27017, "data/store"), StoreArgs.parse(new String[0]));
  }

  @Test
  void optionsTakeTheirValueFromTheNextArgumentOrAfterEquals() {
    assertEquals(new StoreArgs("0.0.0.0", 0, "mem:"),
        StoreArgs.parse(new String[] {"--host", "0.0.0.0", "--port=0", "--data-dir", "mem:"}));
    assertEquals(true, StoreArgs.parse(new String[] {"--data-dir=mem:"}).inMemory());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--port abc         | --port: must be an integer between 0 and 65535 (got \"abc\")",
      "--port 65536       | --port: must be between 0 and 65535 (got 65536)",
      "--port=-1          | --port: must be between 0 and 65535 (got -1)",
      "--port             | --port: needs a value (usage: " + StoreArgs.USAGE + ")",
      "--host=            | --host: must not be empty",
      "--data-dir=        | --data-dir: must not be empty (use \"mem:\" for memory)",
      "--dir x            | --dir: unknown argument (usage: " + StoreArgs.USAGE + ")",
      "--verbose=1        | --verbose: unknown argument (usage: " + StoreArgs.USAGE + ")",
      "--port 1 --port 2  | --port: given more than once"})
  void badArgumentsNameTheArgument(String args, String message) {
    ConfigException e = assertThrows(ConfigException.class, () -> StoreArgs.parse(args.trim().split("\\s+")));
    assertEquals(message, e.getMessage());
  }
}
