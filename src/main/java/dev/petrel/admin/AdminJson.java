package dev.petrel.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.petrel.message.QueueId;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The admin API's JSON dialect, shared by server and client so they cannot drift apart: a
 * {@link QueueId} is its 16-character string, an {@link Instant} is ISO-8601 ({@code
 * 2020-11-29T04:38:58Z}). Written by hand rather than with jackson-datatype-jsr310 to avoid a
 * dependency for two tiny types.
 */
final class AdminJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("petrel-admin")
                    .addSerializer(QueueId.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(QueueId id, JsonGenerator gen, SerializerProvider p) throws IOException {
                            gen.writeString(id.value());
                        }
                    })
                    .addDeserializer(QueueId.class, new JsonDeserializer<>() {
                        @Override
                        public QueueId deserialize(JsonParser parser, DeserializationContext ctx) throws IOException {
                            String s = parser.getValueAsString();
                            if (!QueueId.isValid(s)) return (QueueId) ctx.handleWeirdStringValue(QueueId.class, s, "not a queue id");
                            return new QueueId(s);
                        }
                    })
                    .addSerializer(Instant.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Instant t, JsonGenerator gen, SerializerProvider p) throws IOException {
                            gen.writeString(t.toString());
                        }
                    })
                    .addDeserializer(Instant.class, new JsonDeserializer<>() {
                        @Override
                        public Instant deserialize(JsonParser parser, DeserializationContext ctx) throws IOException {
                            String s = parser.getValueAsString();
                            try {
                                return Instant.parse(s);
                            } catch (DateTimeParseException e) {
                                return (Instant) ctx.handleWeirdStringValue(Instant.class, s, "not an ISO-8601 instant");
                            }
                        }
                    }))
            // A newer server may add fields; an older client should still read what it knows.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private AdminJson() {}
}
