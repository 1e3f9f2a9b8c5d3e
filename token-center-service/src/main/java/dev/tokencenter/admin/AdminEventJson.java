package dev.tokencenter.admin;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** How admin events and refresh history entries are written: JSON in snake_case, instants as ISO-8601 text. */
final class AdminEventJson {

    static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private AdminEventJson() {
    }
}
