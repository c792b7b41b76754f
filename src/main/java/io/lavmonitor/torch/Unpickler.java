package io.lavmonitor.torch;

import io.lavmonitor.io.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A restricted unpickler for the {@code data.pkl} of a {@code torch.save} file. Python's
 * pickle runs whatever callable a file names; this one knows only the opcodes state dicts use
 * (protocols 2 to 4) and the handful of globals they name, builds plain data from them (maps,
 * lists, tuples as unmodifiable lists, strings, numbers, {@link StorageRef}, {@link TensorRef})
 * and refuses anything else by name. Nothing is ever executed or loaded.
 */
final class Unpickler {
  static final String ORDERED_DICT = "collections.OrderedDict";
  static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
  static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";
  static final String SIZE = "torch.Size";

  /** A global the pickle named; only allowed ones are ever made. */
  record Global(String module, String name) {
    String qualified() {
      return module + "." + name;
    }
  }

  private static final Set<String> CALLABLE = Set.of(ORDERED_DICT, REBUILD_TENSOR,
      REBUILD_PARAMETER, SIZE);
  /** Python None on the stack (Java null is kept for nothing else). */
  private static final Object NONE = new Object() {
    @Override
    public String toString() {
      return "None";
    }
  };

  private final byte[] in;
  private int pos;
  private List<Object> stack = new ArrayList<>();
  private final Deque<List<Object>> marks = new ArrayDeque<>();
  private final Map<Long, Object> memo = new HashMap<>();

  private Unpickler(byte[] in) {
    this.in = in;
  }

  /** The object a pickle holds; None comes back as null. */
  static Object load(byte[] pickle) {
    return new Unpickler(pickle).run();
  }

  private Object run() {
    while (true) {
      int at = pos;
      int op = u8();
      switch (op) {
        case 0x80 -> { // PROTO
          int proto = u8();
          if (proto < 2 || proto > 5) {
            throw bad("pickle protocol " + proto + " (expected 2 to 5)");
          }
        }
        case 0x95 -> skip(8); // FRAME: the whole pickle is in memory already
        case '.' -> { // STOP
          Object top = pop();
          return top == NONE ? null : top;
        }
        case '(' -> { // MARK
          marks.push(stack);
          stack = new ArrayList<>();
        }
        case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
        case ']' -> push(new ArrayList<>()); // EMPTY_LIST
        case ')' -> push(List.of()); // EMPTY_TUPLE
        case 't' -> push(tuple(popMark())); // TUPLE
        case 0x85 -> push(tuple(popN(1))); // TUPLE1
        case 0x86 -> push(tuple(popN(2))); // TUPLE2
        case 0x87 -> push(tuple(popN(3))); // TUPLE3
        case 'N' -> push(NONE);
        case 0x88 -> push(Boolean.TRUE); // NEWTRUE
        case 0x89 -> push(Boolean.FALSE); // NEWFALSE
        case 'J' -> push((long) i32()); // BININT
        case 'K' -> push((long) u8()); // BININT1
        case 'M' -> push((long) (u8() | u8() << 8)); // BININT2
        case 0x8a -> push(long1(u8())); // LONG1
        case 'G' -> push(Double.longBitsToDouble(beLong())); // BINFLOAT, big-endian
        case 'X' -> push(utf8(u32())); // BINUNICODE
        case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
        case 0x8d -> push(utf8(u64())); // BINUNICODE8
        case 'q' -> memo.put((long) u8(), peek()); // BINPUT
        case 'r' -> memo.put(u32(), peek()); // LONG_BINPUT
        case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
        case 'h' -> push(memoGet(u8())); // BINGET
        case 'j' -> push(memoGet(u32())); // LONG_BINGET
        case 'c' -> push(global(line(), line())); // GLOBAL
        case 0x93 -> { // STACK_GLOBAL
          String name = string(pop(), "STACK_GLOBAL name");
          push(global(string(pop(), "STACK_GLOBAL module"), name));
        }
        case 'Q' -> push(storage(pop())); // BINPERSID
        case 'R' -> { // REDUCE
          Object args = pop();
          push(call(pop(), args));
        }
        case 'b' -> build(pop(), peek()); // BUILD
        case 's' -> { // SETITEM
          Object value = pop();
          Object key = pop();
          dict(peek()).put(key, value);
        }
        case 'u' -> { // SETITEMS
          List<Object> items = popMark();
          if (items.size() % 2 != 0) {
            throw bad("SETITEMS with an odd number of items");
          }
          Map<Object, Object> d = dict(peek());
          for (int i = 0; i < items.size(); i += 2) {
            d.put(items.get(i), items.get(i + 1));
          }
        }
        case 'a' -> { // APPEND
          Object value = pop();
          list(peek()).add(value);
        }
        case 'e' -> { // APPENDS
          List<Object> items = popMark();
          list(peek()).addAll(items);
        }
        default -> throw bad(String.format("unsupported pickle opcode 0x%02x%s at byte %d", op,
            op >= 0x21 && op < 0x7f ? " ('" + (char) op + "')" : "", at));
      }
    }
  }

  private Object global(String module, String name) {
    String q = module + "." + name;
    if (CALLABLE.contains(q)) {
      return new Global(module, name);
    }
    if (module.equals("torch") && name.endsWith("Storage")) {
      if (DType.ofStorage(name) == null) {
        throw DType.unknown(name);
      }
      return new Global(module, name);
    }
    throw bad("refusing global " + q + ": a state dict of tensors names only "
        + "collections.OrderedDict, torch._utils._rebuild_tensor_v2/_rebuild_parameter and "
        + "torch.*Storage (is this a whole pickled model or a TorchScript file? save "
        + "model.state_dict() instead)");
  }

  private Object call(Object callable, Object argsObj) {
    if (!(callable instanceof Global g) || !CALLABLE.contains(g.qualified())) {
      throw bad("REDUCE on " + describe(callable) + ", which cannot be called");
    }
    List<Object> args = tupleOf(argsObj, g.qualified() + " arguments");
    switch (g.qualified()) {
      case ORDERED_DICT -> {
        if (!args.isEmpty()) {
          throw bad("collections.OrderedDict with arguments");
        }
        return new LinkedHashMap<>();
      }
      case SIZE -> {
        if (args.size() != 1) {
          throw bad("torch.Size takes one tuple");
        }
        return tupleOf(args.get(0), "torch.Size argument");
      }
      case REBUILD_PARAMETER -> {
        if (args.size() != 3 || !(args.get(0) instanceof TensorRef)) {
          throw bad("_rebuild_parameter expects (tensor, requires_grad, hooks)");
        }
        return args.get(0);
      }
      default -> {
        // _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])
        if (args.size() < 6 || args.size() > 7 || !(args.get(0) instanceof StorageRef s)) {
          throw bad("_rebuild_tensor_v2 expects (storage, offset, size, stride, "
              + "requires_grad, hooks)");
        }
        return new TensorRef(s, integer(args.get(1), "storage offset"),
            longs(args.get(2), "size"), longs(args.get(3), "stride"));
      }
    }
  }

  /** BINPERSID: torch's ('storage', torch.XStorage, key, location, numel). */
  private StorageRef storage(Object pid) {
    List<Object> t = tupleOf(pid, "persistent id");
    if (t.size() != 5 || !"storage".equals(t.get(0)) || !(t.get(1) instanceof Global g)
        || !g.module().equals("torch") || DType.ofStorage(g.name()) == null) {
      throw bad("persistent id " + describe(pid) + " is not a torch storage reference");
    }
    return new StorageRef(DType.ofStorage(g.name()), string(t.get(2), "storage key"),
        string(t.get(3), "storage location"), integer(t.get(4), "storage size"));
  }

  /** BUILD: an OrderedDict's state (a state dict's _metadata) is dropped; nothing else has one. */
  private void build(Object state, Object target) {
    if (!(target instanceof LinkedHashMap)) {
      throw bad("BUILD on " + describe(target));
    }
  }

  private Object memoGet(long key) {
    Object v = memo.get(key);
    if (v == null) {
      throw bad("memo key " + key + " read before it was written");
    }
    return v;
  }

  private static List<Object> tuple(List<Object> items) {
    return Collections.unmodifiableList(new ArrayList<>(items));
  }

  private List<Object> tupleOf(Object o, String what) {
    if (o instanceof List<?> l && !(o instanceof ArrayList)) {
      @SuppressWarnings("unchecked")
      List<Object> t = (List<Object>) l;
      return t;
    }
    throw bad(what + " is " + describe(o) + ", expected a tuple");
  }

  private long[] longs(Object o, String what) {
    List<Object> t = tupleOf(o, what);
    long[] r = new long[t.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = integer(t.get(i), what);
    }
    return r;
  }

  private long integer(Object o, String what) {
    if (o instanceof Long l) {
      return l;
    }
    throw bad(what + " is " + describe(o) + ", expected an integer");
  }

  private String string(Object o, String what) {
    if (o instanceof String s) {
      return s;
    }
    throw bad(what + " is " + describe(o) + ", expected a string");
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> dict(Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<Object, Object>) m;
    }
    throw bad("SETITEM(S) on " + describe(o));
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Object o) {
    if (o instanceof ArrayList<?> l) {
      return (List<Object>) l;
    }
    throw bad("APPEND(S) on " + describe(o));
  }

  private static String describe(Object o) {
    if (o instanceof Global g) {
      return g.qualified();
    }
    if (o == null) {
      return "nothing";
    }
    return o instanceof List<?> ? "a tuple or list" : o instanceof Map<?, ?> ? "a dict"
        : o instanceof String ? "a string" : o instanceof Long ? "an integer"
        : o == NONE ? "None" : "a " + o.getClass().getSimpleName();
  }

  private void push(Object o) {
    stack.add(o);
  }

  private Object pop() {
    if (stack.isEmpty()) {
      throw bad("stack underflow at byte " + (pos - 1));
    }
    return stack.remove(stack.size() - 1);
  }

  private Object peek() {
    if (stack.isEmpty()) {
      throw bad("stack underflow at byte " + (pos - 1));
    }
    return stack.get(stack.size() - 1);
  }

  private List<Object> popN(int n) {
    if (stack.size() < n) {
      throw bad("stack underflow at byte " + (pos - 1));
    }
    List<Object> tail = stack.subList(stack.size() - n, stack.size());
    List<Object> items = new ArrayList<>(tail);
    tail.clear();
    return items;
  }

  private List<Object> popMark() {
    if (marks.isEmpty()) {
      throw bad("no MARK before byte " + (pos - 1));
    }
    List<Object> items = stack;
    stack = marks.pop();
    return items;
  }

  private void need(long n) {
    if (n < 0 || n > in.length - pos) {
      throw bad("truncated pickle: " + n + " bytes wanted at byte " + pos + " of "
          + in.length);
    }
  }

  private void skip(int n) {
    need(n);
    pos += n;
  }

  private int u8() {
    need(1);
    return in[pos++] & 0xff;
  }

  private int i32() {
    return u8() | u8() << 8 | u8() << 16 | u8() << 24;
  }

  private long u32() {
    return i32() & 0xffffffffL;
  }

  private long u64() {
    long lo = u32();
    return lo | u32() << 32;
  }

  private long beLong() {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | u8();
    }
    return v;
  }

  /** LONG1: n bytes, little-endian two's complement. */
  private long long1(int n) {
    if (n > 8) {
      throw bad("integer of " + n + " bytes (at most 8 supported)");
    }
    need(n);
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = v << 8 | (in[pos + i] & 0xff);
    }
    if (n > 0 && n < 8 && (in[pos + n - 1] & 0x80) != 0) {
      v -= 1L << (8 * n);
    }
    pos += n;
    return v;
  }

  private String utf8(long n) {
    need(n);
    String s = new String(in, pos, (int) n, StandardCharsets.UTF_8);
    pos += (int) n;
    return s;
  }

  /** A newline-terminated name of GLOBAL, at most 256 bytes. */
  private String line() {
    int start = pos;
    while (true) {
      if (pos - start > 256) {
        throw bad("GLOBAL name longer than 256 bytes at byte " + start);
      }
      if (u8() == '\n') {
        return new String(in, start, pos - start - 1, StandardCharsets.UTF_8);
      }
    }
  }

  private static InvalidInputException bad(String message) {
    return new InvalidInputException(message);
  }
}
