/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON reader for test resources (objects, arrays, strings, numbers, true/false/null),
 * so the tests need no JSON library.
 */
final class MiniJson
{
    private final String text;
    private int position;

    private MiniJson(final String text)
    {
        this.text = text;
    }

    static Object parse(final String text)
    {
        final MiniJson parser = new MiniJson(text);
        final Object value = parser.value();
        parser.skipWhitespace();
        if (parser.position != text.length())
        {
            throw new IllegalArgumentException("trailing characters at " + parser.position);
        }
        return value;
    }

    private Object value()
    {
        skipWhitespace();
        final char c = text.charAt(position);
        switch (c)
        {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> result = new LinkedHashMap<>();
        position++;
        skipWhitespace();
        if ('}' == text.charAt(position))
        {
            position++;
            return result;
        }
        while (true)
        {
            skipWhitespace();
            final String key = string();
            skipWhitespace();
            expect(':');
            result.put(key, value());
            skipWhitespace();
            if (',' == text.charAt(position))
            {
                position++;
                continue;
            }
            expect('}');
            return result;
        }
    }

    private List<Object> array()
    {
        final List<Object> result = new ArrayList<>();
        position++;
        skipWhitespace();
        if (']' == text.charAt(position))
        {
            position++;
            return result;
        }
        while (true)
        {
            result.add(value());
            skipWhitespace();
            if (',' == text.charAt(position))
            {
                position++;
                continue;
            }
            expect(']');
            return result;
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder builder = new StringBuilder();
        while (true)
        {
            final char c = text.charAt(position++);
            if ('"' == c)
            {
                return builder.toString();
            }
            if ('\\' == c)
            {
                final char escaped = text.charAt(position++);
                switch (escaped)
                {
                    case 'n':
                        builder.append('\n');
                        break;
                    case 't':
                        builder.append('\t');
                        break;
                    case 'r':
                        builder.append('\r');
                        break;
                    case 'b':
                        builder.append('\b');
                        break;
                    case 'f':
                        builder.append('\f');
                        break;
                    case 'u':
                        builder.append((char)Integer.parseInt(text.substring(position, position + 4), 16));
                        position += 4;
                        break;
                    default:
                        builder.append(escaped);
                        break;
                }
            }
            else
            {
                builder.append(c);
            }
        }
    }

    private Object number()
    {
        final int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0)
        {
            position++;
        }
        return Double.parseDouble(text.substring(start, position));
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, position))
        {
            throw new IllegalArgumentException("bad literal at " + position);
        }
        position += word.length();
        return value;
    }

    private void expect(final char c)
    {
        if (text.charAt(position) != c)
        {
            throw new IllegalArgumentException("expected " + c + " at " + position);
        }
        position++;
    }

    private void skipWhitespace()
    {
        while (position < text.length() && Character.isWhitespace(text.charAt(position)))
        {
            position++;
        }
    }
}
