package dev.portcullis.admin;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentEndEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.events.StreamEndEvent;
import org.yaml.snakeyaml.events.StreamStartEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.Reader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tenants of a tenants file, one YAML node tree at a time: the file's events are read as a stream and each item
 * of its {@code tenants:} list is composed on its own, handed over and dropped. A file of ten thousand tenants then
 * costs one tenant's node tree (a whole file's tree took some 250 MB for 8 MB of YAML, more than the server's heap).
 * Nodes keep their marks, so every refusal still names its line. An anchor serves only within the tenant that
 * defines it (an alias to another tenant's anchor is refused as undefined).
 */
final class TenantNodes {

    /** Where the top level of the file is wrong: the message and the line (1-based; 0 when the file is empty). */
    static final class ShapeException extends RuntimeException {
        final int line;

        ShapeException(String message, Event at) {
            super(message, null, false, false);
            this.line = at == null || at.getStartMark() == null ? 0 : at.getStartMark().getLine() + 1;
        }
    }

    private final Iterator<Event> events;
    private final LoaderOptions options;

    TenantNodes(Reader yaml, LoaderOptions options) {
        this.events = new Yaml(options).parse(yaml).iterator();
        this.options = options;
    }

    /** Hands each tenant's node to {@code tenant}, in file order; the file's top level is checked on the way. */
    void forEach(Consumer<Node> tenant) {
        expect(StreamStartEvent.class, "a YAML stream");
        Event first = next();
        if (first instanceof StreamEndEvent) {
            throw new ShapeException("the file is empty; it needs a 'tenants:' list", null);
        }
        if (!(first instanceof DocumentStartEvent)) {
            throw new ShapeException("the file must be one YAML document", first);
        }
        Event top = next();
        if (!(top instanceof MappingStartEvent)) {
            throw new ShapeException(top instanceof ScalarEvent scalar && scalar.getValue().isEmpty()
                    ? "the file is empty; it needs a 'tenants:' list" : "the file must be a mapping of keys to values", top);
        }
        boolean seen = false;
        for (Event key = next(); !(key instanceof CollectionEndEvent); key = next()) {
            if (!(key instanceof ScalarEvent name)) {
                throw new ShapeException("a key must be a single value", key);
            }
            if (!name.getValue().equals("tenants")) {
                throw new ShapeException("unknown key '" + name.getValue() + "' in the file (known keys: tenants)", key);
            }
            if (seen) {
                throw new ShapeException("duplicate key 'tenants' in the file", key);
            }
            seen = true;
            Event list = next();
            if (list instanceof ScalarEvent scalar && isNull(scalar)) {
                continue;
            }
            if (!(list instanceof SequenceStartEvent)) {
                throw new ShapeException("'tenants' must be a list", list);
            }
            for (Event item = next(); !(item instanceof CollectionEndEvent); item = next()) {
                tenant.accept(compose(item));
            }
        }
        if (!seen) {
            throw new ShapeException("the file needs a 'tenants:' list", top);
        }
        Event end = next();
        if (!(end instanceof DocumentEndEvent)) {
            throw new ShapeException("the file must be one YAML document", end);
        }
        Event after = next();
        if (!(after instanceof StreamEndEvent)) {
            throw new ShapeException("the file must be one YAML document, but another one starts here", after);
        }
    }

    /** The node of the item that starts with {@code first}, composed from its events alone. */
    private Node compose(Event first) {
        List<Event> item = new ArrayList<>();
        item.add(first);
        int depth = first instanceof CollectionStartEvent ? 1 : 0;
        while (depth > 0) {
            Event event = next();
            item.add(event);
            if (event instanceof CollectionStartEvent) {
                depth++;
            } else if (event instanceof CollectionEndEvent) {
                depth--;
            }
        }
        List<Event> document = new ArrayList<>(item.size() + 4);
        document.add(new StreamStartEvent(first.getStartMark(), first.getStartMark()));
        document.add(new DocumentStartEvent(first.getStartMark(), first.getStartMark(), false, null, null));
        document.addAll(item);
        Event last = item.get(item.size() - 1);
        document.add(new DocumentEndEvent(last.getEndMark(), last.getEndMark(), false));
        document.add(new StreamEndEvent(last.getEndMark(), last.getEndMark()));
        return new Composer(new Replay(document), new Resolver(), options).getSingleNode();
    }

    private Event next() {
        if (!events.hasNext()) {
            throw new ShapeException("the file ends too early", null);
        }
        return events.next();
    }

    private void expect(Class<? extends Event> type, String what) {
        Event event = next();
        if (!type.isInstance(event)) {
            throw new ShapeException("expected " + what, event);
        }
    }

    private static boolean isNull(ScalarEvent scalar) {
        String value = scalar.getValue();
        return scalar.getTag() == null && scalar.isPlain()
                && (value.isEmpty() || value.equals("~") || value.equals("null") || value.equals("Null") || value.equals("NULL"));
    }

    /** SnakeYAML's parser interface over events already read. */
    private static final class Replay implements Parser {
        private final List<Event> events;
        private int next;

        Replay(List<Event> events) {
            this.events = events;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return next < events.size() && events.get(next).getEventId() == choice;
        }

        @Override
        public Event peekEvent() {
            return next < events.size() ? events.get(next) : null;
        }

        @Override
        public Event getEvent() {
            return next < events.size() ? events.get(next++) : null;
        }
    }
}
