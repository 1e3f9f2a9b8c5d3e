package dev.tokencenter.client;

import dev.tokencenter.web.Validator;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules for the rights of requested grants: known names, no repeats, token reads when none are named. */
final class GrantRights {

    private GrantRights() {
    }

    static void check(Validator validator, String field, List<String> rights) {
        if (rights == null) {
            return;
        }
        if (rights.isEmpty()) {
            validator.reject(field, "must name at least one right, or be left out for token reads only");
            return;
        }
        Set<ClientRight> seen = EnumSet.noneOf(ClientRight.class);
        for (int i = 0; i < rights.size(); i++) {
            String name = rights.get(i);
            ClientRight right = name == null ? null : ClientRight.fromWireName(name).orElse(null);
            if (right == null) {
                validator.reject(field + "[" + i + "]", "must be one of " + String.join(", ", ClientRight.wireNames()));
            } else if (!seen.add(right)) {
                validator.reject(field + "[" + i + "]", "appears more than once");
            }
        }
    }

    static void rejectRepeatedPairs(Validator validator, List<ClientGrant> grants) {
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < grants.size(); i++) {
            ClientGrant grant = grants.get(i);
            if (grant == null || grant.app() == null || grant.env() == null) {
                continue;
            }
            Integer first = firstIndex.putIfAbsent(grant.app() + "/" + grant.env(), i);
            if (first != null) {
                validator.reject("grants[" + i + "]", "repeats the app and environment of grants[" + first
                        + "]; name all its rights in one grant");
            }
        }
    }

    /** The rights of a valid requested grant; token reads only when it names none. */
    static List<ClientRight> of(ClientGrant grant) {
        if (grant.rights() == null) {
            return List.of(ClientRight.TOKEN);
        }
        return grant.rights().stream().map(name -> ClientRight.fromWireName(name).orElseThrow()).toList();
    }
}
