package io.streamingpipeline.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeadLetterJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of("classpath:" + TradeContract.DEAD_LETTER_SCHEMA_RESOURCE.substring(1)));

    private static DeadLetter letter(String raw) {
        return new DeadLetter("malformed_json", "not a JSON object", raw, "spark", 1_764_000_000_000L);
    }

    private static DeadLetter decode(byte[] value) throws Exception {
        assertThat(SCHEMA.validate(new String(value, StandardCharsets.UTF_8), InputFormat.JSON))
                .isEmpty();
        return MAPPER.readValue(value, DeadLetter.class);
    }

    @Test
    void aSmallDeadLetterIsExactlyWhatJacksonReadsBack() throws Exception {
        DeadLetter letter = new DeadLetter(
                "invalid_price",
                "\"price\" must be > 0, was -3",
                "{\"price\":-3,\"s\":\"a\\\\b\\u0000\",\"x\":\"é😀\"}\n\t",
                "spark",
                42L);
        byte[] value = DeadLetterJson.value(letter, 15);
        assertThat(decode(value)).isEqualTo(letter);
        assertThat(new String(value, StandardCharsets.UTF_8)).startsWith("{\"reason\":\"invalid_price\",\"detail\":");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x1f, '"', '\\', 'x', 0xe9, 0x20ac, 0xfffd})
    void threeHundredKilobytesOfOneCharacterStayWithinTheBound(int c) throws Exception {
        String raw = String.valueOf((char) c).repeat(300 * 1024);
        byte[] value = DeadLetterJson.value(letter(raw), 0);
        assertThat(value.length).isLessThanOrEqualTo(DeadLetter.MAX_RECORD_BYTES);
        String kept = decode(value).raw();
        assertThat(kept).endsWith(DeadLetter.TRUNCATED_MARK);
        String prefix = kept.substring(0, kept.length() - DeadLetter.TRUNCATED_MARK.length());
        assertThat(raw).startsWith(prefix);
        // cut at MAX_RAW_CHARS characters, or where the next character would not fit, not earlier
        if (prefix.length() == DeadLetter.MAX_RAW_CHARS) {
            return;
        }
        int perChar = String.valueOf((char) c).equals("\\") || c == '"'
                ? 2
                : c < 0x20 ? 6 : String.valueOf((char) c).getBytes(StandardCharsets.UTF_8).length;
        assertThat(value.length + perChar).isGreaterThan(DeadLetter.MAX_RECORD_BYTES);
    }

    @Test
    void binaryGarbageNearTheBrokerLimitStaysWithinTheBoundKeyIncluded() throws Exception {
        byte[] garbage = new byte[1_000_000];
        new Random(7).nextBytes(garbage);
        byte[] key = DeadLetterJson.key(garbage);
        assertThat(key).hasSize(DeadLetter.MAX_KEY_BYTES);
        byte[] value = DeadLetterJson.value(letter(new String(garbage, StandardCharsets.UTF_8)), key.length);
        assertThat(key.length + value.length).isLessThanOrEqualTo(DeadLetter.MAX_RECORD_BYTES);
        assertThat(decode(value).raw()).endsWith(DeadLetter.TRUNCATED_MARK);
    }

    @Test
    void aSurrogatePairIsNeverSplitAndALoneSurrogateBecomesTheReplacementCharacter() throws Exception {
        String raw = "a" + "😀".repeat(200 * 1024) + "\uD800";
        String kept = decode(DeadLetterJson.value(letter(raw), 0)).raw();
        String prefix = kept.substring(0, kept.length() - DeadLetter.TRUNCATED_MARK.length());
        assertThat(prefix.codePoints().allMatch(cp -> cp == 'a' || cp == 0x1F600))
                .isTrue();
        assertThat(decode(DeadLetterJson.value(letter("x\uDC00y"), 0)).raw()).isEqualTo("x\uFFFDy");
    }

    @Test
    void aLongRawTextIsCutAtMaxRawCharsEvenWhenItsBytesWouldFit() throws Exception {
        String raw = "x".repeat(DeadLetter.MAX_RAW_CHARS + 10);
        assertThat(decode(DeadLetterJson.value(letter(raw), 0)).raw())
                .hasSize(DeadLetter.MAX_RAW_CHARS + DeadLetter.TRUNCATED_MARK.length());
    }

    @Test
    void aHugeDetailIsCutAndNullsBecomeEmptyStrings() throws Exception {
        DeadLetter letter = new DeadLetter("invalid_id", "\u0001".repeat(100_000), null, "spark", 1L);
        DeadLetter decoded = decode(DeadLetterJson.value(letter, 0));
        assertThat(decoded.detail()).hasSize(DeadLetter.MAX_DETAIL_CHARS + DeadLetter.TRUNCATED_MARK.length());
        assertThat(decoded.raw()).isEmpty();
        assertThat(DeadLetterJson.key(null)).isNull();
        assertThat(DeadLetterJson.key(new byte[3])).hasSize(3);
    }
}
