package io.c2cstream.engine.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.List;
import java.util.Map;

/**
 * transformers' {@code tojson} filter, which replaces Jinja's own: {@code json.dumps(value,
 * ensure_ascii=False, indent=None, separators=None, sort_keys=False)} with those four parameters
 * settable positionally or by name, and no HTML escaping.
 */
final class PythonToJsonFilter implements Filter {

    private static final String[] PARAMETERS = {"ensure_ascii", "indent", "separators", "sort_keys"};

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object[] bound = new Object[PARAMETERS.length];
        for (int i = 0; i < args.length; i++) {
            if (i >= PARAMETERS.length) {
                throw new IllegalArgumentException("tojson takes at most " + PARAMETERS.length + " arguments");
            }
            bound[i] = args[i];
        }
        kwargs.forEach((name, argument) -> bound[parameterIndex(name)] = argument);
        return PythonJson.dumps(value, new PythonJson.Options(
                Boolean.TRUE.equals(bound[0]), indent(bound[1]), separator(bound[2], 0), separator(bound[2], 1),
                Boolean.TRUE.equals(bound[3])));
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        return filter(value, interpreter, args, Map.of());
    }

    private static int parameterIndex(String name) {
        for (int i = 0; i < PARAMETERS.length; i++) {
            if (PARAMETERS[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("tojson has no parameter " + name);
    }

    /** Python accepts a number of spaces or the indent string itself. */
    private static String indent(Object indent) {
        if (indent == null) {
            return null;
        }
        if (indent instanceof Number n) {
            return " ".repeat(Math.max(0, n.intValue()));
        }
        return indent.toString();
    }

    /** One of the two strings of a {@code separators=(item, key)} pair, or null for the default. */
    private static String separator(Object separators, int which) {
        if (separators == null) {
            return null;
        }
        if (separators instanceof List<?> pair && pair.size() == 2) {
            return String.valueOf(pair.get(which));
        }
        throw new IllegalArgumentException("tojson separators must be an (item_separator, key_separator) pair");
    }
}
