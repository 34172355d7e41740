package io.c2cstream.engine.tokenizer;

import java.beans.FeatureDescriptor;
import java.util.Iterator;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;
import jinjava.javax.el.ELResolver;

/**
 * Resolves calls of Python {@code str} methods on strings ({@code content.startswith('<tool')}),
 * which jinjava would otherwise send to {@link String}'s Java methods: missing ({@code
 * startswith}, {@code lstrip}) or different ({@code split} is a regex split that drops trailing
 * empty parts, {@code strip()} has no {@code chars} argument). Other calls fall through to the next
 * resolver, so Java methods with Python's meaning ({@code replace(old, new)}) keep working.
 */
final class PythonStringMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || !(method instanceof String name)) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = switch (name) {
            case "startswith" -> PythonStrings.startsWith(s, arguments(name, args, 1, 1)[0]);
            case "endswith" -> PythonStrings.endsWith(s, arguments(name, args, 1, 1)[0]);
            case "strip" -> PythonStrings.strip(s, chars(name, args));
            case "lstrip" -> PythonStrings.lstrip(s, chars(name, args));
            case "rstrip" -> PythonStrings.rstrip(s, chars(name, args));
            case "split" -> split(s, arguments(name, args, 0, 2));
            case "lower" -> {
                arguments(name, args, 0, 0);
                yield PythonStrings.lower(s);
            }
            case "upper" -> {
                arguments(name, args, 0, 0);
                yield PythonStrings.upper(s);
            }
            default -> null;
        };
        if (result == null) {
            return null; // not a str method this resolver knows: leave it to the next one
        }
        context.setPropertyResolved(true);
        return result;
    }

    private static Object split(String s, Object[] args) {
        Object separator = args.length > 0 ? args[0] : null;
        Object maxSplit = args.length > 1 ? args[1] : -1L;
        if (!(maxSplit instanceof Long || maxSplit instanceof Integer)) {
            throw new ELException("split() maxsplit must be an integer, not " + PythonStrings.typeName(maxSplit));
        }
        try {
            String sep = separator == null ? null : PythonStrings.requireString(separator, "split");
            return PythonStrings.split(s, sep, ((Number) maxSplit).intValue());
        } catch (IllegalArgumentException e) {
            throw new ELException("split(): " + e.getMessage());
        }
    }

    /** The optional {@code chars} argument of the strip methods; null means whitespace. */
    private static String chars(String method, Object[] args) {
        Object chars = args.length == 0 ? null : arguments(method, args, 0, 1)[0];
        return chars == null ? null : PythonStrings.requireString(chars, method);
    }

    /** {@code args}, after checking that between {@code min} and {@code max} were given. */
    private static Object[] arguments(String method, Object[] args, int min, int max) {
        if (args.length < min || args.length > max) {
            throw new ELException(method + "() takes " + (min == max ? "" + min : min + " to " + max)
                    + " arguments (" + args.length + " given)");
        }
        return args;
    }

    // Properties are none of this resolver's business: leave them unresolved for the next one.

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {}

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
