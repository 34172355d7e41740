package io.c2cstream.engine.tokenizer;

import static jinjava.de.odysseus.el.tree.impl.Builder.Feature.METHOD_INVOCATIONS;
import static jinjava.de.odysseus.el.tree.impl.Builder.Feature.NULL_PROPERTIES;
import static jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.AND;
import static jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.COLON;
import static jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.COMMA;
import static jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.IDENTIFIER;
import static jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.LPAREN;
import static jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.NOT;
import static jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.RBRACK;

import com.hubspot.jinjava.el.ext.AstNamedParameter;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import java.util.ArrayList;
import java.util.List;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Scanner.ScanException;
import jinjava.de.odysseus.el.tree.impl.Scanner.Symbol;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstParameters;
import jinjava.de.odysseus.el.tree.impl.ast.AstProperty;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;

/**
 * Jinjava's expression parser with two Python rules it gets wrong in 2.7:
 *
 * <ul>
 *   <li>Subscripts may have a step ({@code x[::-1]}, {@code x[1::2]}), and every slice has
 *       Python's semantics ({@link PythonSlice}).
 *   <li>A keyword argument's value is a whole expression: jinjava reads {@code
 *       namespace(last=messages|length - 1)} as {@code (last=messages|length) - 1}.
 *   <li>{@code not} binds more loosely than comparisons and tests, as in Python: {@code not x is
 *       defined} is {@code not (x is defined)}, where jinjava reads {@code (not x) is defined}.
 * </ul>
 *
 * <p>{@link #value()} restates jinjava's postfix loop (member access, calls, subscripts) with the
 * slice branch extended. It returns after the postfix operators, which is right only with jinjava's
 * natural operator precedence: {@link ChatTemplateEnvironment} always enables it.
 */
final class PythonExpressionParser extends ExtendedParser {

    PythonExpressionParser(Builder context, String input) {
        super(context, input);
    }

    /** {@code and} joins {@code not}-expressions, not jinjava's comparisons of unary operands. */
    @Override
    protected AstNode and(boolean required) throws ScanException, ParseException {
        AstNode value = not(required);
        while (value != null && getToken().getSymbol() == AND) {
            consumeToken();
            value = createAstBinary(value, not(true), AstBinary.AND);
        }
        return value;
    }

    private AstNode not(boolean required) throws ScanException, ParseException {
        if (getToken().getSymbol() == NOT) {
            consumeToken();
            return createAstUnary(not(true), AstUnary.NOT);
        }
        return eq(required);
    }

    @Override
    protected AstNode value() throws ScanException, ParseException {
        boolean lvalue = true;
        AstNode value = nonliteral();
        if (value == null) {
            value = literal();
            if (value == null) {
                return null;
            }
            lvalue = false;
        }
        while (true) {
            switch (getToken().getSymbol()) {
                case DOT -> {
                    consumeToken();
                    String name = consumeToken(IDENTIFIER).getImage();
                    value = callIfFollowedByArguments(createAstDot(value, name, lvalue));
                }
                case LBRACK -> {
                    consumeToken();
                    value = subscript(value, lvalue);
                }
                default -> {
                    return value;
                }
            }
        }
    }

    /** Parses what follows {@code base[}: an index, or a slice with up to three bounds. */
    private AstNode subscript(AstNode base, boolean lvalue) throws ScanException, ParseException {
        AstNode start = getToken().getSymbol() == COLON ? null : expr(true);
        if (getToken().getSymbol() == RBRACK) {
            consumeToken();
            return callIfFollowedByArguments(createAstBracket(base, start, lvalue, !context.isEnabled(NULL_PROPERTIES)));
        }
        consumeToken(COLON);
        AstNode stop = boundFollows() ? expr(true) : null;
        AstNode step = null;
        if (getToken().getSymbol() == COLON) {
            consumeToken();
            step = boundFollows() ? expr(true) : null;
        }
        consumeToken(RBRACK);
        return new PythonSlice(base, start, stop, step);
    }

    /** Call arguments, where {@code name=expression} is a keyword argument. */
    @Override
    protected AstParameters params(Symbol left, Symbol right) throws ScanException, ParseException {
        consumeToken(left);
        List<AstNode> arguments = new ArrayList<>();
        if (getToken().getSymbol() != right) {
            arguments.add(argument());
            while (getToken().getSymbol() == COMMA) {
                consumeToken();
                arguments.add(argument());
            }
        }
        consumeToken(right);
        return createAstParameters(arguments);
    }

    private AstNode argument() throws ScanException, ParseException {
        if (getToken().getSymbol() == IDENTIFIER && "=".equals(lookahead(0).getImage())) {
            AstIdentifier name = identifier(consumeToken().getImage());
            consumeToken(); // '='
            return new AstNamedParameter(name, expr(true));
        }
        return expr(true);
    }

    private boolean boundFollows() {
        return getToken().getSymbol() != COLON && getToken().getSymbol() != RBRACK;
    }

    private AstNode callIfFollowedByArguments(AstProperty property) throws ScanException, ParseException {
        if (getToken().getSymbol() == LPAREN && context.isEnabled(METHOD_INVOCATIONS)) {
            return createAstMethod(property, params());
        }
        return property;
    }
}
