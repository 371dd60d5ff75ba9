import { createContext, evaluate, WdlError } from "../../../../tools/flow/expressions";

const ctx = createContext({
  now: new Date("2024-03-10T09:30:00Z"),
  guids: () => "0f8fad5b-d9cb-469f-a165-70867728950e",
  random: (min) => min,
  trigger: { outputs: { body: { $formdata: [{ key: "a", value: "1" }, { key: "b", value: "2" }, { key: "b", value: "3" }] } } },
});
const run = (s: string) => evaluate(`@${s}`, ctx);
const reason = (s: string): string => {
  try {
    run(s);
  } catch (e) {
    if (e instanceof WdlError) return e.reason;
    throw e;
  }
  throw new Error(`expected '${s}' to fail`);
};

describe("types and comparisons", () => {
  it("treats null as empty text in equals", () => {
    expect(run("equals(null, '')")).toBe(true);
  });

  it("compares integers and floats by value", () => {
    expect(run("equals(1, 1.0)")).toBe(true);
  });

  it("compares arrays and objects deeply", () => {
    expect(run("equals(json('{\"a\":[1,2]}'), json('{\"a\":[1,2]}'))")).toBe(true);
  });

  it("compares strings ordinally in less()", () => {
    expect(run("less('B', 'a')")).toBe(true);
  });

  it("refuses to compare a number with a string", () => {
    expect(reason("greater(1, 'a')")).toBe("the function 'greater' cannot compare Integer 1 with String 'a'");
  });

  it("needs booleans in and()", () => {
    expect(reason("and(true, 'yes')")).toBe("the function 'and' expects its second argument to be a boolean, but it is String 'yes'");
  });

  it("needs a boolean condition in if()", () => {
    expect(reason("if(1, 'a', 'b')")).toContain("expects its first argument to be a boolean");
  });
});

describe("math keeps integers and floats apart", () => {
  it("divides integers with truncation toward zero", () => {
    expect(run("div(-7, 2)")).toBe(-3);
  });

  it("keeps a float result a float through further division", () => {
    expect(run("div(mul(2, 1.5), 2)")).toBe(1.5);
  });

  it("takes the remainder with the dividend's sign", () => {
    expect(run("mod(-7, 3)")).toBe(-1);
  });

  it("finds max of an array", () => {
    expect(run("max(createArray(4, 9, 2))")).toBe(9);
  });

  it("rejects division by zero", () => {
    expect(reason("mod(1, 0)")).toBe("the function 'mod' cannot divide by zero");
  });

  it("draws rand() from the context's random source", () => {
    expect(run("rand(5, 10)")).toBe(5);
  });

  it("parses int() from text and rejects fractions", () => {
    expect(run("int(' 42 ')")).toBe(42);
    expect(reason("int('4.2')")).toBe("the function 'int' cannot convert String '4.2' to an integer");
  });
});

describe("strings", () => {
  it("joins arrays with concat() when every argument is an array", () => {
    expect(run("concat(createArray(1), createArray(2, 3))")).toEqual([1, 2, 3]);
  });

  it("converts non-strings in concat()", () => {
    expect(run("concat('n=', 5, ' ', true, ' ', null)")).toBe("n=5 True ");
  });

  it("finds text case-insensitively with indexOf()", () => {
    expect(run("indexOf('Hello World', 'WORLD')")).toBe(6);
  });

  it("matches case-sensitively with contains()", () => {
    expect(run("contains('Hello', 'hello')")).toBe(false);
  });

  it("counts occurrences from the end with a negative nthIndexOf()", () => {
    expect(run("nthIndexOf('a-b-c', '-', -1)")).toBe(3);
  });

  it("rejects a substring past the end of the text", () => {
    expect(reason("substring('abc', 1, 5)")).toBe("the function 'substring' was asked for 5 characters from index 1 of a text of length 3");
  });

  it("slices with negative indexes from the end", () => {
    expect(run("slice('Hello World', -5)")).toBe("World");
  });

  it("escapes like Uri.EscapeDataString, including !'()*", () => {
    expect(run("uriComponent('a b!(c)*')")).toBe("a%20b%21%28c%29%2A");
  });

  it("escapes XML special characters", () => {
    expect(run("encodeXmlValue('<a href=\"x\">Tom & Jerry''s</a>')")).toBe("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;");
  });

  it("round-trips UTF-8 (CJK and emoji) through base64", () => {
    expect(run("base64ToString(base64('客户 🚀'))")).toBe("客户 🚀");
  });

  it("counts UTF-8 bytes and UTF-16 code units", () => {
    expect(run("createArray(utf8Length('客'), utf16Length('🚀'))")).toEqual([3, 2]);
  });

  it("formats guid() in the requested style", () => {
    expect(run("guid('N')")).toBe("0f8fad5bd9cb469fa16570867728950e");
    expect(run("guid('B')")).toBe("{0f8fad5b-d9cb-469f-a165-70867728950e}");
  });
});

describe("collections and objects", () => {
  it("returns null from first() of an empty array", () => {
    expect(run("first(json('[]'))")).toBeNull();
  });

  it("tests object keys with contains()", () => {
    expect(run("contains(json('{\"a\":1}'), 'a')")).toBe(true);
  });

  it("sorts objects by a property", () => {
    expect(run("sort(json('[{\"n\":2},{\"n\":1}]'), 'n')")).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("chunks an array", () => {
    expect(run("chunk(range(1, 5), 2)")).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("treats empty text, arrays, objects and null as empty", () => {
    expect(run("createArray(empty(''), empty(json('[]')), empty(json('{}')), empty(null), empty(' '))")).toEqual([true, true, true, true, false]);
  });

  it("refuses addProperty() on an existing property", () => {
    expect(reason("addProperty(json('{\"a\":1}'), 'a', 2)")).toContain("already has it (use setProperty)");
  });

  it("reads single and multiple form values from the trigger", () => {
    expect(run("triggerFormDataValue('a')")).toBe("1");
    expect(run("triggerFormDataMultiValues('b')")).toEqual(["2", "3"]);
  });
});

describe("dates and times", () => {
  it("returns the context clock from utcNow()", () => {
    expect(run("utcNow()")).toBe("2024-03-10T09:30:00.0000000Z");
  });

  it("keeps seven fraction digits", () => {
    expect(run("addSeconds('2024-01-01T00:00:00.1234567Z', 1)")).toBe("2024-01-01T00:00:01.1234567Z");
  });

  it("converts an input with an offset to UTC", () => {
    expect(run("formatDateTime('2024-06-01T15:04:05+02:00')")).toBe("2024-06-01T13:04:05.0000000Z");
  });

  it("keeps an input without a zone unspecified (no Z)", () => {
    expect(run("formatDateTime('2024-06-01')")).toBe("2024-06-01T00:00:00.0000000");
  });

  it("clamps to the month's last day when adding months", () => {
    expect(run("addToTime('2024-01-31T00:00:00Z', 1, 'Month')")).toBe("2024-02-29T00:00:00.0000000Z");
  });

  it("follows daylight saving time for Windows zone names", () => {
    expect(run("convertFromUtc('2024-03-10T09:30:00Z', 'Pacific Standard Time', 'HH:mm')")).toBe("01:30");
    expect(run("convertFromUtc('2024-03-10T10:30:00Z', 'Pacific Standard Time', 'HH:mm')")).toBe("03:30");
  });

  it("maps China Standard Time to UTC+8", () => {
    expect(run("convertFromUtc('2024-06-01T12:00:00Z', 'China Standard Time', 'yyyy-MM-dd HH:mm')")).toBe("2024-06-01 20:00");
  });

  it("rejects a local time skipped by daylight saving time", () => {
    expect(reason("convertToUtc('2024-03-10 02:30:00', 'Pacific Standard Time')")).toContain("does not exist in the time zone");
  });

  it("rejects IANA names where Windows names are expected", () => {
    expect(reason("convertFromUtc('2024-01-01T00:00:00Z', 'Asia/Shanghai')")).toContain("is not a Windows time zone name");
  });

  it("formats the long date in Simplified Chinese", () => {
    expect(run("formatDateTime('2024-06-01T12:00:00Z', 'D', 'zh-CN')")).toBe("2024年6月1日");
  });

  it("formats custom patterns with names, 12-hour clock and the zone", () => {
    expect(run("formatDateTime('2024-06-01T15:04:05.1234567Z', 'dddd dd MMM yyyy hh:mm:ss.fff tt K')")).toBe("Saturday 01 Jun 2024 03:04:05.123 PM Z");
  });

  it("formats RFC 1123 with 'r'", () => {
    expect(run("formatDateTime('2024-06-01T15:04:05Z', 'r')")).toBe("Sat, 01 Jun 2024 15:04:05 GMT");
  });

  it("rejects an unsupported locale by name", () => {
    expect(reason("formatDateTime('2024-06-01', 'D', 'xx-YY')")).toContain("the locale 'xx-YY' is not supported");
  });

  it("rejects a malformed timestamp", () => {
    expect(reason("addDays('yesterday', 1)")).toContain("'yesterday' is not a valid timestamp");
  });

  it("gives dateDifference() as a .NET TimeSpan", () => {
    expect(run("dateDifference('2018-07-30T10:00:00Z', '2018-07-30T09:00:00.5Z')")).toBe("-00:59:59.5000000");
  });

  it("counts .NET ticks", () => {
    expect(run("ticks('2018-03-15T13:27:36Z')")).toBe(636567172560000000);
  });

  it("parses with an explicit format and locale", () => {
    expect(run("parseDateTime('15/03/2018', 'en-GB', 'dd/MM/yyyy')")).toBe("2018-03-15T00:00:00.0000000");
  });

  it("formats a time span with a custom format", () => {
    expect(run("formatTimeSpan('1.02:03:04.5', 'd\\.hh\\:mm')")).toBe("1.02:03");
  });

  it("names the expected units for a wrong time unit", () => {
    expect(reason("addToTime('2024-01-01', 1, 'Fortnight')")).toBe("'Fortnight' is not a time unit (expected one of Second, Minute, Hour, Day, Week, Month, Year)");
  });
});

describe("numbers", () => {
  it("formats N with grouping in Simplified Chinese", () => {
    expect(run("formatNumber(1234.5, 'N1', 'zh-CN')")).toBe("1,234.5");
  });

  it("uses the negative section of a custom format", () => {
    expect(run("formatNumber(-1234.5, '#,##0.00;(#,##0.00)')")).toBe("(1,234.50)");
  });

  it("formats currency in yuan for zh-CN", () => {
    expect(run("formatNumber(17.35, 'C2', 'zh-CN')")).toBe("¥17.35");
  });

  it("rounds half away from zero", () => {
    expect(run("formatNumber(2.5, '0')")).toBe("3");
  });
});

describe("functions this engine does not evaluate", () => {
  it("says that xpath() is not supported rather than returning something", () => {
    expect(reason("xpath('<a/>', '/a')")).toContain("'xpath' is not supported by this engine");
  });
});
