package io.c2cstream.engine.tokenizer;

import com.hubspot.jinjava.objects.collections.PyList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstRightValue;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;

/**
 * The expression {@code base[start:stop:step]} with Python's slice semantics: each bound may be
 * omitted, negative bounds count from the end, out-of-range bounds are clamped and a negative step
 * walks backwards ({@code messages[::-1]}). Strings are sliced by code point.
 */
final class PythonSlice extends AstRightValue {

    private final AstNode base;
    private final AstNode start;
    private final AstNode stop;
    private final AstNode step;

    /** {@code start}, {@code stop} and {@code step} are null where the template omits them. */
    PythonSlice(AstNode base, AstNode start, AstNode stop, AstNode step) {
        this.base = Objects.requireNonNull(base);
        this.start = start;
        this.stop = stop;
        this.step = step;
    }

    @Override
    public Object eval(Bindings bindings, ELContext context) {
        Object sequence = base.eval(bindings, context);
        Integer from = bound(start, "start", bindings, context);
        Integer to = bound(stop, "stop", bindings, context);
        Integer by = bound(step, "step", bindings, context);
        if (sequence instanceof String text) {
            int[] codePoints = text.codePoints().toArray();
            int[] picked = indices(codePoints.length, from, to, by).stream().mapToInt(i -> codePoints[i]).toArray();
            return new String(picked, 0, picked.length);
        }
        List<?> items;
        if (sequence instanceof List<?> list) {
            items = list;
        } else if (sequence instanceof Object[] array) {
            items = Arrays.asList(array);
        } else {
            throw new ELException("cannot slice " + base + ": " + PythonStrings.typeName(sequence) + " is not a sequence");
        }
        List<Object> picked = new ArrayList<>();
        for (int i : indices(items.size(), from, to, by)) {
            picked.add(items.get(i));
        }
        return new PyList(picked);
    }

    /** The indices {@code slice(from, to, by).indices(length)} walks, as Python computes them. */
    static List<Integer> indices(int length, Integer from, Integer to, Integer by) {
        int stride = by == null ? 1 : by;
        if (stride == 0) {
            throw new ELException("slice step cannot be zero");
        }
        int lower = stride > 0 ? 0 : -1;
        int upper = stride > 0 ? length : length - 1;
        int first = from == null ? (stride > 0 ? lower : upper) : clamp(from, length, lower, upper);
        int end = to == null ? (stride > 0 ? upper : lower) : clamp(to, length, lower, upper);
        List<Integer> indices = new ArrayList<>();
        for (int i = first; stride > 0 ? i < end : i > end; i += stride) {
            indices.add(i);
        }
        return indices;
    }

    private static int clamp(int index, int length, int lower, int upper) {
        int absolute = index < 0 ? index + length : index;
        return Math.max(lower, Math.min(upper, absolute));
    }

    private static Integer bound(AstNode node, String name, Bindings bindings, ELContext context) {
        Object value = node == null ? null : node.eval(bindings, context);
        if (value == null) {
            return null;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Math.toIntExact(((Number) value).longValue());
        }
        throw new ELException("slice " + name + " must be an integer or none, not " + PythonStrings.typeName(value));
    }

    @Override
    public void appendStructure(StringBuilder out, Bindings bindings) {
        base.appendStructure(out, bindings);
        out.append('[');
        appendBound(out, start, bindings);
        out.append(':');
        appendBound(out, stop, bindings);
        out.append(':');
        appendBound(out, step, bindings);
        out.append(']');
    }

    private static void appendBound(StringBuilder out, AstNode bound, Bindings bindings) {
        if (bound != null) {
            bound.appendStructure(out, bindings);
        }
    }

    @Override
    public String toString() {
        return "[::]";
    }

    @Override
    public int getCardinality() {
        return children().size();
    }

    @Override
    public AstNode getChild(int i) {
        return children().get(i);
    }

    private List<AstNode> children() {
        return Arrays.stream(new AstNode[] {base, start, stop, step}).filter(Objects::nonNull).toList();
    }
}
