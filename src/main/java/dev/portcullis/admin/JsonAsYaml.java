package dev.portcullis.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An admin API request's JSON as the YAML node tree the tenants file's sections read, so one validator
 * checks both. Jackson has already parsed the JSON (with its limits); this only changes the tree's shape.
 */
final class JsonAsYaml {

    private JsonAsYaml() {
    }

    static Node node(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return scalar(Tag.NULL, "null");
        }
        if (json.isObject()) {
            List<NodeTuple> tuples = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : json.properties()) {
                tuples.add(new NodeTuple(scalar(Tag.STR, field.getKey()), node(field.getValue())));
            }
            return new MappingNode(Tag.MAP, tuples, DumperOptions.FlowStyle.FLOW);
        }
        if (json.isArray()) {
            List<Node> items = new ArrayList<>();
            json.forEach(item -> items.add(node(item)));
            return new SequenceNode(Tag.SEQ, items, DumperOptions.FlowStyle.FLOW);
        }
        if (json.isBoolean()) {
            return scalar(Tag.BOOL, json.asText());
        }
        if (json.isIntegralNumber()) {
            return scalar(Tag.INT, json.asText());
        }
        if (json.isNumber()) {
            return scalar(Tag.FLOAT, json.asText());
        }
        return scalar(Tag.STR, json.asText());
    }

    private static ScalarNode scalar(Tag tag, String value) {
        return new ScalarNode(tag, value, null, null, DumperOptions.ScalarStyle.PLAIN);
    }
}
