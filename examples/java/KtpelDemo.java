// ktpel from Java through JNA (Debian libjna-java): NIK checks (single and
// batch), a region lookup, name normalization and similarity, an IKD QR
// token verification, record matching (one record and the batch job on
// generated data), and a KTP-el reader session (mutual
// authentication + secure messaging) driven from Java against the virtual
// chip. Compile and run (scripts/test.d/30-c.sh does this):
//   javac -cp /usr/share/java/jna.jar -d out examples/java/KtpelDemo.java
//   java -cp out:/usr/share/java/jna.jar -Djna.library.path=DIR_WITH_LIBKTPEL KtpelDemo
// size_t is mapped to Java long (64-bit platforms).
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

public class KtpelDemo {
  static final int OK = 0;
  static final int KTPEL_MODE_STRICT = 0, KTPEL_MODE_LENIENT = 1;
  static final int KTPEL_SAM_PROFILE_KTPEL = 2;
  static final int KTPEL_SAM_RESPONSE_MAX = 65600;

  @Structure.FieldOrder({"mode", "reference_year", "reference_month", "reference_day", "birth_year"})
  public static class CheckOptions extends Structure {
    public int mode, reference_year, reference_month, reference_day, birth_year;
  }

  @Structure.FieldOrder({"code", "warnings", "province_code", "regency_code", "district_code", "birth_year",
      "serial", "birth_month", "birth_day", "valid", "digits_read", "sex", "century_ambiguous", "normalized"})
  public static class NikResult extends Structure {
    public int code, warnings, province_code, regency_code, district_code, birth_year;
    public short serial;
    public byte birth_month, birth_day, valid, digits_read, sex, century_ambiguous;
    public byte[] normalized = new byte[16];
  }

  @Structure.FieldOrder({"ptr", "len"})
  public static class KtpelStr extends Structure {
    public Pointer ptr;
    public long len;
  }

  @Structure.FieldOrder({"code", "successor", "level", "status", "snapshots", "is_kelurahan"})
  public static class Region extends Structure {
    public long code, successor;
    public int level, status, snapshots, is_kelurahan;
  }

  public interface Ktpel extends Library {
    Ktpel LIB = Native.load("ktpel", Ktpel.class);

    int ktpel_version();
    int ktpel_status_name(int status, byte[] buf, long len, LongByReference written);
    int ktpel_last_error_message(byte[] buf, long len, LongByReference written);
    int ktpel_nik_check(byte[] input, long len, CheckOptions opts, NikResult out);
    int ktpel_nik_check_batch(KtpelStr[] inputs, long count, CheckOptions opts, NikResult[] out, LongByReference valid);
    int ktpel_region_district_name(int district, byte[] buf, long len, LongByReference written);
    int ktpel_region_lookup(byte[] code, long len, Region out);
    int ktpel_region_name(byte[] code, long len, byte[] buf, long cap, LongByReference written);
    int ktpel_sam_random(byte[] buf, long len);
    int ktpel_sam_chip_new_demo(int profile, byte[] seed, long len, long rngSeed, PointerByReference out);
    int ktpel_sam_chip_process(Pointer chip, byte[] cmd, long len, byte[] buf, long cap, LongByReference written);
    void ktpel_sam_chip_free(Pointer chip);
    int ktpel_sam_keys_from_seed(int profile, byte[] seed, long len, PointerByReference out);
    void ktpel_sam_keys_free(Pointer keys);
    int ktpel_sam_auth_new(Pointer keys, byte[] rnd, long rl, byte[] kifd, long kl, PointerByReference out);
    int ktpel_sam_auth_get_challenge(Pointer auth, byte[] buf, long len, LongByReference written);
    int ktpel_sam_auth_on_challenge(Pointer auth, byte[] r, long rl, byte[] buf, long len, LongByReference written);
    int ktpel_sam_auth_on_authenticate(Pointer auth, byte[] r, long rl, PointerByReference sm);
    void ktpel_sam_auth_free(Pointer auth);
    int ktpel_sam_sm_protect(Pointer sm, byte[] apdu, long len, byte[] buf, long cap, LongByReference written);
    int ktpel_sam_sm_unprotect(Pointer sm, byte[] r, long len, byte[] buf, long cap, LongByReference written);
    void ktpel_sam_sm_free(Pointer sm);
    int ktpel_qr_keyset_from_jwks(byte[] jwks, long len, PointerByReference out);
    void ktpel_qr_keyset_free(Pointer set);
    int ktpel_qr_verifier_new(Pointer set, QrVerifierOptions opts, PointerByReference out);
    void ktpel_qr_verifier_free(Pointer verifier);
    int ktpel_qr_verifier_verify(Pointer verifier, byte[] token, long len, long now, PointerByReference out);
    int ktpel_qr_claims_nik(Pointer claims, byte[] buf, long len, LongByReference written);
    void ktpel_qr_claims_free(Pointer claims);
    int ktpel_name_normalize(byte[] name, long len, byte[] buf, long cap, LongByReference written);
    int ktpel_name_similarity(byte[] a, long al, byte[] b, long bl, DoubleByReference out);
    int ktpel_name_similarity_scores(byte[] a, long al, byte[] b, long bl, NameScores out);
    int ktpel_name_check(byte[] name, long len, NameCheck out);
    int ktpel_name_check_mother(byte[] name, long len, byte[] buf, long cap, LongByReference written);
    int ktpel_name_scorer_new(byte[] query, long len, PointerByReference out);
    int ktpel_name_scorer_similarity(Pointer scorer, KtpelStr[] candidates, long count, double[] out);
    void ktpel_name_scorer_free(Pointer scorer);
    int ktpel_match_verify(Field[] submitted, long sc, Field[] reference, long rc, byte[] policy, long pl, byte[] buf,
        long cap, LongByReference written);
    int ktpel_sample_write_all(SampleConfig cfg, byte[] dir, long len, Pointer progress, Pointer user,
        SampleSummary out);
    int ktpel_match_run_batch(byte[] agency, long al, byte[] population, long pl, byte[] out, long ol,
        MatchOptions opts, Pointer progress, Pointer user, PointerByReference report);
    int ktpel_match_report_counts(Pointer report, MatchCounts out);
    void ktpel_match_report_free(Pointer report);
  }

  @Structure.FieldOrder({"name", "value"})
  public static class Field extends Structure {
    public KtpelStr name = new KtpelStr(), value = new KtpelStr();
  }

  @Structure.FieldOrder({"seed", "population", "agency", "as_of_year", "as_of_month", "as_of_day",
      "later_as_of_year", "later_as_of_month", "later_as_of_day", "rates_json"})
  public static class SampleConfig extends Structure {
    public long seed, population, agency;
    public int as_of_year, as_of_month, as_of_day, later_as_of_year, later_as_of_month, later_as_of_day;
    public KtpelStr rates_json = new KtpelStr();
  }

  @Structure.FieldOrder({"register_rows", "later_rows", "agency_rows", "changes", "changes_by_kind", "agency_clean"})
  public static class SampleSummary extends Structure {
    public long register_rows, later_rows, agency_rows, changes;
    public long[] changes_by_kind = new long[9];
    public long agency_clean;
  }

  @Structure.FieldOrder({"policy_toml", "agency_mapping_toml", "population_mapping_toml", "reference_year",
      "reference_month", "reference_day", "block_rows", "memory_budget", "recover", "recover_accept",
      "recover_margin", "recover_top"})
  public static class MatchOptions extends Structure {
    public KtpelStr policy_toml = new KtpelStr(), agency_mapping_toml = new KtpelStr(),
        population_mapping_toml = new KtpelStr();
    public int reference_year, reference_month, reference_day, block_rows;
    public long memory_budget;
    public byte recover;
    public double recover_accept, recover_margin;
    public int recover_top;
  }

  @Structure.FieldOrder({"received", "matched", "matched_deceased", "anomaly", "duplicate", "unmatched",
      "nik_not_found"})
  public static class MatchCounts extends Structure {
    public long received, matched, matched_deceased, anomaly, duplicate, unmatched, nik_not_found;
  }

  /** Keeps native copies of strings alive while a call uses them. */
  static final java.util.List<Memory> KEEP = new java.util.ArrayList<>();

  static void set(KtpelStr s, String text) {
    byte[] b = utf8(text);
    Memory m = new Memory(Math.max(1, b.length));
    m.write(0, b, 0, b.length);
    KEEP.add(m);
    s.ptr = m;
    s.len = b.length;
  }

  static Field[] fields(String... kv) {
    Field[] f = (Field[]) new Field().toArray(kv.length / 2);
    for (int i = 0; i < f.length; i++) {
      set(f[i].name, kv[2 * i]);
      set(f[i].value, kv[2 * i + 1]);
    }
    return f;
  }

  /** Matching: one record with the default policy, then the batch job on a generated data set (arg: a temp dir). */
  static void match(String tmp) {
    Field[] sub = fields("NIK", "3174015708900123", "NAMA_LGKP", "MOCH. ARIEF", "TGL_LHR", "17-08-1990",
        "JENIS_KLMIN", "L");
    Field[] reg = fields("NIK", "3174015708900123", "NAMA_LGKP", "MUHAMMAD ARIF", "TGL_LHR", "17-08-1990",
        "JENIS_KLMIN", "LAKI-LAKI", "STATUS", "HIDUP");
    byte[] buf = new byte[4096];
    LongByReference n = new LongByReference();
    check(K.ktpel_match_verify(sub, sub.length, reg, reg.length, null, 0, buf, buf.length, n), "verify");
    String json = text(buf, n);
    String overall = json.replaceAll(".*\"overall\":\"([A-Z_]+)\".*", "$1");
    System.out.println("match: verify -> " + overall);
    expect(overall.equals("SESUAI"), "verify SESUAI");
    SampleConfig cfg = new SampleConfig();
    cfg.seed = 11;
    cfg.population = 3000;
    SampleSummary s = new SampleSummary();
    byte[] dir = utf8(tmp + "/java_gen");
    check(K.ktpel_sample_write_all(cfg, dir, dir.length, null, null, s), "sample");
    byte[] agency = utf8(tmp + "/java_gen/agency.csv");
    byte[] pop = utf8(tmp + "/java_gen/population.csv");
    byte[] out = utf8(tmp + "/java_match");
    PointerByReference ref = new PointerByReference();
    check(K.ktpel_match_run_batch(agency, agency.length, pop, pop.length, out, out.length, new MatchOptions(), null,
        null, ref), "batch");
    MatchCounts c = new MatchCounts();
    check(K.ktpel_match_report_counts(ref.getValue(), c), "counts");
    K.ktpel_match_report_free(ref.getValue());
    System.out.println("match: batch of " + c.received + " agency rows: " + c.matched + " matched, " + c.unmatched
        + " not matching, " + c.nik_not_found + " NIK not found, " + c.anomaly + " anomalies, " + c.duplicate
        + " duplicates");
    expect(c.received == s.agency_rows && c.matched > 0
        && c.matched + c.unmatched + c.nik_not_found + c.anomaly + c.duplicate == c.received, "batch counts");
    KEEP.clear();
  }

  static final double KTPEL_NAME_DEFAULT_THRESHOLD = 0.85;

  @Structure.FieldOrder({"combined", "token", "jaro_winkler", "levenshtein"})
  public static class NameScores extends Structure {
    public double combined, token, jaro_winkler, levenshtein;
  }

  @Structure.FieldOrder({"code", "severity", "anomaly_count", "chars", "has_mother"})
  public static class NameCheck extends Structure {
    public int code, severity, anomaly_count, chars;
    public byte has_mother;
  }

  /** Names: normalize, similarity with components, anomaly check, one query against a block. */
  static void names() {
    byte[] buf = new byte[256];
    LongByReference n = new LongByReference();
    byte[] titled = utf8("Hj. Siti Aminah, S.Pd.");
    check(K.ktpel_name_normalize(titled, titled.length, buf, buf.length, n), "normalize");
    System.out.println("name: \"Hj. Siti Aminah, S.Pd.\" -> " + text(buf, n));
    expect(text(buf, n).equals("SITI AMINAH"), "normalize");
    String[][] pairs = {{"SOEKARNO", "SUKARNO"}, {"MOCH. ARIEF", "M ARIF"}, {"SITI AMINAH", "SITI RAHAYU"}};
    for (String[] p : pairs) {
      byte[] a = utf8(p[0]), b = utf8(p[1]);
      DoubleByReference s = new DoubleByReference();
      NameScores sc = new NameScores();
      check(K.ktpel_name_similarity(a, a.length, b, b.length, s), "similarity");
      check(K.ktpel_name_similarity_scores(a, a.length, b, b.length, sc), "scores");
      boolean same = s.getValue() >= KTPEL_NAME_DEFAULT_THRESHOLD;
      System.out.printf("name: %-12s ~ %-12s %.3f (jw %.3f, lev %.3f) %s%n", p[0], p[1], s.getValue(),
          sc.jaro_winkler, sc.levenshtein, same ? "same person" : "different");
      expect(sc.combined == s.getValue(), "combined == similarity");
      expect(same == !p[0].startsWith("SITI"), "similarity verdict " + p[0]);
    }
    byte[] bayi = utf8("BAYI NY. SITI AMINAH");
    NameCheck c = new NameCheck();
    check(K.ktpel_name_check(bayi, bayi.length, c), "check");
    check(K.ktpel_name_check_mother(bayi, bayi.length, buf, buf.length, n), "mother");
    System.out.println("name: BAYI NY. SITI AMINAH -> " + statusName(c.code) + ", mother " + text(buf, n));
    expect(statusName(c.code).equals("NEWBORN_PLACEHOLDER") && c.has_mother == 1, "newborn placeholder");
    // One prepared query against a block of candidates in one call.
    String[] block = {"MUHAMMAD ARIF", "ARIF MUHAMAD", "SITI AMINAH"};
    KtpelStr[] cands = (KtpelStr[]) new KtpelStr().toArray(block.length);
    Memory[] keep = new Memory[block.length];
    for (int i = 0; i < block.length; i++) {
      byte[] b = utf8(block[i]);
      keep[i] = new Memory(b.length);
      keep[i].write(0, b, 0, b.length);
      cands[i].ptr = keep[i];
      cands[i].len = b.length;
    }
    PointerByReference ref = new PointerByReference();
    byte[] q = utf8("MOCH. ARIEF");
    check(K.ktpel_name_scorer_new(q, q.length, ref), "scorer");
    double[] scores = new double[block.length];
    check(K.ktpel_name_scorer_similarity(ref.getValue(), cands, block.length, scores), "scorer block");
    K.ktpel_name_scorer_free(ref.getValue());
    System.out.println("name: MOCH. ARIEF vs block " + Arrays.toString(scores));
    expect(scores[0] >= KTPEL_NAME_DEFAULT_THRESHOLD && scores[1] >= KTPEL_NAME_DEFAULT_THRESHOLD
        && scores[2] < KTPEL_NAME_DEFAULT_THRESHOLD, "block scores");
  }

  @Structure.FieldOrder({"audience", "issuer", "max_ttl", "leeway", "set_leeway", "allow_unencrypted"})
  public static class QrVerifierOptions extends Structure {
    public KtpelStr audience = new KtpelStr(), issuer = new KtpelStr();
    public long max_ttl, leeway;
    public byte set_leeway, allow_unencrypted;
  }

  /** Verifies an IKD QR token (args: JWKS file, token file, now, audience). */
  static void verifyQr(String[] args) throws Exception {
    byte[] jwks = java.nio.file.Files.readAllBytes(java.nio.file.Paths.get(args[0]));
    byte[] token = java.nio.file.Files.readAllBytes(java.nio.file.Paths.get(args[1]));
    long now = Long.parseLong(args[2]);
    PointerByReference ref = new PointerByReference();
    check(K.ktpel_qr_keyset_from_jwks(jwks, jwks.length, ref), "keyset");
    Pointer keys = ref.getValue();
    QrVerifierOptions o = new QrVerifierOptions();
    Memory aud = new Memory(args[3].length());
    aud.write(0, utf8(args[3]), 0, args[3].length());
    o.audience.ptr = aud;
    o.audience.len = args[3].length();
    check(K.ktpel_qr_verifier_new(keys, o, ref), "verifier");
    Pointer verifier = ref.getValue();
    check(K.ktpel_qr_verifier_verify(verifier, token, token.length, now, ref), "verify");
    Pointer claims = ref.getValue();
    byte[] nik = new byte[32];
    LongByReference n = new LongByReference();
    check(K.ktpel_qr_claims_nik(claims, nik, nik.length, n), "nik");
    System.out.println("QR: token verified, NIK " + text(nik, n));
    K.ktpel_qr_claims_free(claims);
    int again = K.ktpel_qr_verifier_verify(verifier, token, token.length, now, ref);
    System.out.println("QR: second scan -> " + statusName(again));
    expect(statusName(again).equals("REPLAYED"), "single scan");
    K.ktpel_qr_verifier_free(verifier);
    K.ktpel_qr_keyset_free(keys);
  }

  static final Ktpel K = Ktpel.LIB;
  static int failures = 0;

  static void expect(boolean ok, String what) {
    if (!ok) {
      failures++;
      System.out.println("FAIL: " + what);
    }
  }

  static String text(byte[] buf, LongByReference n) {
    return new String(buf, 0, (int) n.getValue(), StandardCharsets.UTF_8);
  }

  static String statusName(int status) {
    byte[] buf = new byte[64];
    LongByReference n = new LongByReference();
    return K.ktpel_status_name(status, buf, buf.length, n) == OK ? text(buf, n) : "?" + status;
  }

  static void check(int st, String what) {
    if (st != OK) {
      byte[] buf = new byte[512];
      LongByReference n = new LongByReference();
      K.ktpel_last_error_message(buf, buf.length, n);
      throw new IllegalStateException(what + ": " + statusName(st) + ": " + text(buf, n));
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    int v = K.ktpel_version();
    System.out.printf("libktpel %d.%d.%d%n", v >> 16, (v >> 8) & 0xff, v & 0xff);

    // NIKs one by one.
    CheckOptions opts = new CheckOptions();
    opts.mode = KTPEL_MODE_LENIENT;
    opts.reference_year = 2026;
    opts.reference_month = 11;
    opts.reference_day = 23;
    String[] niks = {"3174015708900123", "3.17401E+15", "3174 0157 0890 0123", "3174013208900123"};
    for (String nik : niks) {
      NikResult r = new NikResult();
      check(K.ktpel_nik_check(utf8(nik), utf8(nik).length, opts, r), "nik_check");
      String line = String.format("%-20s %s", nik, r.valid == 1 ? "valid" : "INVALID " + statusName(r.code));
      if (r.birth_year != 0) line += String.format(" born %04d-%02d-%02d", r.birth_year, r.birth_month, r.birth_day);
      if (r.sex != 0) line += " sex " + (r.sex == 2 ? "P" : "L");
      if (r.digits_read == 1) {
        byte[] name = new byte[128];
        LongByReference n = new LongByReference();
        if (K.ktpel_region_district_name(r.district_code, name, name.length, n) == OK) line += " district " + text(name, n);
      }
      System.out.println(line);
    }
    NikResult first = new NikResult();
    K.ktpel_nik_check(utf8(niks[0]), 16, opts, first);
    expect(first.valid == 1 && first.sex == 2 && first.birth_year == 1990 && first.district_code == 317401, "first NIK decoded");

    // A batch of 100,000 in one call.
    int count = 100_000;
    KtpelStr[] items = (KtpelStr[]) new KtpelStr().toArray(count);
    Memory text = new Memory(16L * count);
    for (int i = 0; i < count; i++) {
      byte[] b = utf8(String.format("31740157089%01d%04d", i % 10, i % 10000));
      text.write(16L * i, b, 0, 16);
      items[i].ptr = text.share(16L * i);
      items[i].len = 16;
    }
    NikResult[] results = (NikResult[]) new NikResult().toArray(count);
    LongByReference valid = new LongByReference();
    opts.mode = KTPEL_MODE_STRICT;
    long t = System.nanoTime();
    check(K.ktpel_nik_check_batch(items, count, opts, results, valid), "batch");
    double ms = (System.nanoTime() - t) / 1e6;
    System.out.printf("batch: %d of %d valid in %.1f ms (one JNA call)%n", valid.getValue(), count, ms);
    expect(valid.getValue() == count - count / 10000, "batch valid count");  // serial 0000 is invalid
    expect(results[1].valid == 1 && results[0].code != OK, "batch results in order");

    // Region lookup.
    Region region = new Region();
    byte[] code = utf8("31.74.01");
    check(K.ktpel_region_lookup(code, code.length, region), "region_lookup");
    byte[] name = new byte[128];
    LongByReference n = new LongByReference();
    check(K.ktpel_region_name(code, code.length, name, name.length, n), "region_name");
    System.out.printf("region 31.74.01: %s (level %d, %s)%n", text(name, n), region.level,
        region.status == 1 ? "current" : "historic");
    expect(region.code == 317401 && text(name, n).equals("Tebet"), "region lookup");

    // SAM: the Java side owns the transport and moves the bytes.
    byte[] seed = new byte[16];
    Arrays.fill(seed, (byte) 0x42);
    PointerByReference ref = new PointerByReference();
    check(K.ktpel_sam_chip_new_demo(KTPEL_SAM_PROFILE_KTPEL, seed, seed.length, 7, ref), "chip");
    Pointer chip = ref.getValue();
    check(K.ktpel_sam_keys_from_seed(KTPEL_SAM_PROFILE_KTPEL, seed, seed.length, ref), "keys");
    Pointer keys = ref.getValue();
    byte[] rnd = new byte[8], kifd = new byte[16];
    K.ktpel_sam_random(rnd, rnd.length);
    K.ktpel_sam_random(kifd, kifd.length);
    check(K.ktpel_sam_auth_new(keys, rnd, rnd.length, kifd, kifd.length, ref), "auth_new");
    Pointer auth = ref.getValue();
    byte[] cmd = new byte[300], resp = new byte[KTPEL_SAM_RESPONSE_MAX], plain = new byte[300];
    LongByReference cl = new LongByReference(), rl = new LongByReference();
    check(K.ktpel_sam_auth_get_challenge(auth, cmd, cmd.length, cl), "get_challenge");
    check(K.ktpel_sam_chip_process(chip, cmd, cl.getValue(), resp, resp.length, rl), "transmit");
    check(K.ktpel_sam_auth_on_challenge(auth, resp, rl.getValue(), cmd, cmd.length, cl), "on_challenge");
    check(K.ktpel_sam_chip_process(chip, cmd, cl.getValue(), resp, resp.length, rl), "transmit");
    check(K.ktpel_sam_auth_on_authenticate(auth, resp, rl.getValue(), ref), "on_authenticate");
    Pointer sm = ref.getValue();
    K.ktpel_sam_auth_free(auth);
    System.out.println("SAM: mutual authentication ok");
    byte[][] apdus = {{0x00, (byte) 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x01}, {0x00, (byte) 0xB0, 0x00, 0x00, 0x20}};
    LongByReference pl = new LongByReference();
    for (byte[] apdu : apdus) {
      check(K.ktpel_sam_sm_protect(sm, apdu, apdu.length, cmd, cmd.length, cl), "protect");
      check(K.ktpel_sam_chip_process(chip, cmd, cl.getValue(), resp, resp.length, rl), "transmit");
      check(K.ktpel_sam_sm_unprotect(sm, resp, rl.getValue(), plain, plain.length, pl), "unprotect");
    }
    String bio = new String(plain, 0, (int) pl.getValue() - 2, StandardCharsets.US_ASCII);
    System.out.println("SAM: secure READ BINARY: " + bio);
    expect(bio.startsWith("NIK=3174"), "secure read");
    // Tampering with the card's answer is caught and closes the session.
    check(K.ktpel_sam_sm_protect(sm, apdus[1], apdus[1].length, cmd, cmd.length, cl), "protect");
    check(K.ktpel_sam_chip_process(chip, cmd, cl.getValue(), resp, resp.length, rl), "transmit");
    resp[3] ^= 1;
    int st = K.ktpel_sam_sm_unprotect(sm, resp, rl.getValue(), plain, plain.length, pl);
    System.out.println("SAM: tampered answer -> " + statusName(st));
    expect(statusName(st).equals("SAM_SM_MAC_MISMATCH"), "tampering detected");
    K.ktpel_sam_sm_free(sm);
    K.ktpel_sam_keys_free(keys);
    K.ktpel_sam_chip_free(chip);

    names();
    if (args.length >= 4) verifyQr(args);
    match(args.length >= 5 ? args[4] : System.getProperty("java.io.tmpdir"));
    if (failures == 0) {
      System.out.println("java: all checks passed");
    } else {
      System.out.println("java: " + failures + " checks failed");
      System.exit(1);
    }
  }
}
