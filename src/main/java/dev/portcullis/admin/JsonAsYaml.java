package dev.portcullis.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An admin API request's JSON as the YAML node tree the tenants file's sections read, so one validator
 * checks both. Jackson has already parsed the JSON (with its limits); this only changes the tree's shape.
 * Every node under a member of the top-level object is marked with that member's name, so a refusal the
 * sections make at a node can name the request's {@code field} where a file would name a line.
 */
final class JsonAsYaml {

    /** Names the marks of request nodes; a file's marks are named after the file, never like this. */
    private static final String MEMBER_MARK = "json-member:";

    private JsonAsYaml() {
    }

    static Node node(JsonNode json) {
        return node(json, null);
    }

    /** The top-level member of the request a node was made from, if it was made from one. */
    static Optional<String> field(Node node) {
        Mark mark = node == null ? null : node.getStartMark();
        if (mark == null || mark.getName() == null || !mark.getName().startsWith(MEMBER_MARK)) {
            return Optional.empty();
        }
        return Optional.of(mark.getName().substring(MEMBER_MARK.length()));
    }

    private static Node node(JsonNode json, String member) {
        Mark mark = member == null ? null : new Mark(MEMBER_MARK + member, 0, -1, 0, new int[0], 0);
        if (json == null || json.isNull() || json.isMissingNode()) {
            return scalar(Tag.NULL, "null", mark);
        }
        if (json.isObject()) {
            List<NodeTuple> tuples = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : json.properties()) {
                String inner = member == null ? field.getKey() : member;
                Mark keyMark = new Mark(MEMBER_MARK + inner, 0, -1, 0, new int[0], 0);
                tuples.add(new NodeTuple(scalar(Tag.STR, field.getKey(), keyMark), node(field.getValue(), inner)));
            }
            return new MappingNode(Tag.MAP, true, tuples, mark, mark, DumperOptions.FlowStyle.FLOW);
        }
        if (json.isArray()) {
            List<Node> items = new ArrayList<>();
            json.forEach(item -> items.add(node(item, member)));
            return new SequenceNode(Tag.SEQ, true, items, mark, mark, DumperOptions.FlowStyle.FLOW);
        }
        if (json.isBoolean()) {
            return scalar(Tag.BOOL, json.asText(), mark);
        }
        if (json.isIntegralNumber()) {
            return scalar(Tag.INT, json.asText(), mark);
        }
        if (json.isNumber()) {
            return scalar(Tag.FLOAT, json.asText(), mark);
        }
        return scalar(Tag.STR, json.asText(), mark);
    }

    private static ScalarNode scalar(Tag tag, String value, Mark mark) {
        return new ScalarNode(tag, value, mark, mark, DumperOptions.ScalarStyle.PLAIN);
    }
}
