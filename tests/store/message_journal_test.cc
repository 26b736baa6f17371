#include "store/message_journal.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace wsmock::store {
namespace {

std::vector<MessageRow> ReadOrDie(const std::string& packed) {
  std::vector<MessageRow> rows;
  Status s = ReadJournal(packed, 7, &rows);
  EXPECT_TRUE(s.ok()) << s.message();
  return rows;
}

TEST(MessageJournalTest, FlagsMadeFromCodesReadBackAsTheNamesTheyStandFor) {
  // The recorder makes flags from codes; readers see names. Both must agree
  // with the flags a message given by name packs with.
  const std::vector<std::pair<JournalKind, std::string>> kinds = {
      {JournalKind::kRequest, "request"},
      {JournalKind::kResponse, "response"},
      {JournalKind::kError, "error"},
      {JournalKind::kUpdate, "update"},
      {JournalKind::kOther, "other"}};
  for (const auto& [kind, name] : kinds) {
    for (int bits = 0; bits < 16; ++bits) {
      const bool out = (bits & 1) != 0, binary = (bits & 2) != 0;
      const bool has_action = (bits & 4) != 0, has_request_id = (bits & 8) != 0;
      FlaggedMessage flagged;
      flagged.connection_id = 2;
      flagged.seq = bits + 1;
      flagged.flags = FlaggedMessage::Flags(out, kind, binary, has_action, has_request_id);
      flagged.action = has_action ? "getStations" : "";
      flagged.request_id = has_request_id ? "17" : "";
      flagged.payload = name;
      JournalMessage named{2,    bits + 1, 0, out ? "out" : "in", name, std::nullopt, std::nullopt,
                           name, binary};
      if (has_action) named.action = "getStations";
      if (has_request_id) named.request_id = "17";
      EXPECT_EQ(FlaggedMessage::Of(named).flags, flagged.flags) << name << " " << bits;
      JournalPacker packer;
      std::string packed(PackedBound(flagged), '\0');
      packed.resize(static_cast<size_t>(packer.Append(flagged, packed.data()) - packed.data()));
      std::vector<MessageRow> rows = ReadOrDie(packed);
      ASSERT_EQ(rows.size(), 1u);
      EXPECT_EQ(rows[0].kind, name);
      EXPECT_EQ(rows[0].direction, out ? "out" : "in");
      EXPECT_EQ(rows[0].binary, binary);
      EXPECT_EQ(rows[0].action, named.action);
      EXPECT_EQ(rows[0].request_id, named.request_id);
      EXPECT_EQ(rows[0].payload, name);
    }
  }
}

TEST(MessageJournalTest, EveryFieldSurvivesPacking) {
  const std::string binary("\0\x01\xff", 3);
  std::string packed;
  AppendToJournal({3, 1, 0, "in", "request", "getStations", R"("req_1")", "{}", false}, &packed);
  AppendToJournal({3, 2, -5, "out", "other", {}, {}, binary, true}, &packed);
  AppendToJournal({1LL << 40, INT64_MAX, INT64_MIN, "out", "update", "", "", "", false}, &packed);
  std::vector<MessageRow> rows = ReadOrDie(packed);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].session_id, 7);
  EXPECT_EQ(rows[0].connection_id, 3);
  EXPECT_EQ(rows[0].direction, "in");
  EXPECT_EQ(rows[0].kind, "request");
  EXPECT_EQ(rows[0].action, "getStations");
  EXPECT_EQ(rows[0].request_id, R"("req_1")");
  EXPECT_EQ(rows[0].payload, "{}");
  EXPECT_EQ(rows[1].seq, 2);
  EXPECT_EQ(rows[1].offset, -5);
  EXPECT_EQ(rows[1].direction, "out");
  EXPECT_EQ(rows[1].action, std::nullopt);  // none, which differs from empty
  EXPECT_EQ(rows[1].request_id, std::nullopt);
  EXPECT_EQ(rows[1].payload, binary);
  EXPECT_TRUE(rows[1].binary);
  EXPECT_EQ(rows[2].connection_id, 1LL << 40);
  EXPECT_EQ(rows[2].seq, INT64_MAX);
  EXPECT_EQ(rows[2].offset, INT64_MIN);
  EXPECT_EQ(rows[2].action, "");
  EXPECT_EQ(rows[2].request_id, "");
}

TEST(MessageJournalTest, ARowPacksBackToTheSameBytes) {
  std::string packed;
  AppendToJournal({2, 9, 1234, "out", "error", "getStationById", "17", "{\"e\":1}", false},
                  &packed);
  std::vector<MessageRow> rows = ReadOrDie(packed);
  ASSERT_EQ(rows.size(), 1u);
  std::string again;
  AppendToJournal(JournalMessage::Of(rows[0]), &again);
  EXPECT_EQ(again, packed);
}

TEST(MessageJournalTest, EveryCutShortRowIsMalformed) {
  std::string packed;
  AppendToJournal({1, 1, 1, "in", "request", "a", "1", "payload", false}, &packed);
  for (size_t size = 1; size < packed.size(); ++size) {
    std::vector<MessageRow> rows;
    Status s = ReadJournal(packed.substr(0, size), 1, &rows);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << size;
    EXPECT_EQ(s.message(), "malformed message at byte 0 of " + std::to_string(size));
    EXPECT_TRUE(rows.empty());
  }
}

TEST(MessageJournalTest, TheErrorNamesTheByteWhereTheBadMessageStarts) {
  std::string packed;
  AppendToJournal({1, 1, 1, "in", "request", {}, {}, "ok", false}, &packed);
  const size_t good = packed.size();
  packed += std::string("\x01\x02\x03\x70", 4);  // kind code 7: none such
  std::vector<MessageRow> rows;
  Status s = ReadJournal(packed, 1, &rows);
  EXPECT_EQ(s.message(), "malformed message at byte " + std::to_string(good) + " of " +
                             std::to_string(packed.size()));
  EXPECT_EQ(rows.size(), 1u);
}

TEST(MessageJournalTest, OnlyTheSchemasDirectionsAndKindsCanBePacked) {
  EXPECT_TRUE(CanJournal({1, 1, 0, "in", "update", {}, {}, "", false}));
  EXPECT_FALSE(CanJournal({1, 1, 0, "sideways", "request", {}, {}, "", false}));
  EXPECT_FALSE(CanJournal({1, 1, 0, "in", "reply", {}, {}, "", false}));
  EXPECT_FALSE(CanJournal({-1, 1, 0, "in", "request", {}, {}, "", false}));
  // A stranger the length of each kind.
  for (const char* kind : {"inquest", "requests", "erred", "upsert", "third", ""}) {
    EXPECT_FALSE(CanJournal({1, 1, 0, "in", kind, {}, {}, "", false})) << kind;
  }
}

TEST(MessageJournalTest, EveryKindReadsBackAsPacked) {
  std::string packed;
  const std::vector<std::string> kinds = {"request", "response", "error", "update", "other"};
  for (const std::string& kind : kinds) {
    ASSERT_TRUE(CanJournal({1, 1, 0, "out", kind, {}, {}, "", false})) << kind;
    AppendToJournal({1, 1, 0, "out", kind, {}, {}, kind, false}, &packed);
  }
  std::vector<MessageRow> rows = ReadOrDie(packed);
  ASSERT_EQ(rows.size(), kinds.size());
  for (size_t i = 0; i < kinds.size(); ++i) EXPECT_EQ(rows[i].kind, kinds[i]);
}

// A getStationById reply to request `id`, the way they repeat under load.
std::string Reply(int id) {
  return R"({"type":"response","action":"getStationById","requestId":"req_)" +
         std::to_string(id) + R"(","data":{"id":"station_042","name":"Station 42",)" +
         R"("city":"Moscow","status":"active","currentPower":42.5}})";
}

TEST(MessageJournalTest, RepeatedPayloadsPackAsDeltasAndReadBackWhole) {
  JournalPacker packer;
  std::string packed, literal;
  for (int id = 1; id <= 100; ++id) {
    const std::string request = R"({"action":"getStationById","requestId":"req_)" +
                                std::to_string(id) + R"(","data":{"stationId":"station_042"}})";
    const std::string reply = Reply(id);
    const JournalMessage in{1, 2 * id - 1, id, "in", "request", "getStationById", "1", request, false};
    const JournalMessage out{1, 2 * id, id, "out", "response", "getStationById", "1", reply, false};
    packer.Append(in, &packed);
    packer.Append(out, &packed);
    AppendToJournal(in, &literal);
    AppendToJournal(out, &literal);
  }
  EXPECT_LT(packed.size() * 4, literal.size());  // mostly requestIds and headers
  EXPECT_GT(packer.rebuilt_bytes(), 0u);
  std::vector<MessageRow> rows = ReadOrDie(packed);
  std::vector<MessageRow> expected = ReadOrDie(literal);
  ASSERT_EQ(rows.size(), 200u);
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].payload, expected[i].payload) << i;
    EXPECT_EQ(rows[i].direction, expected[i].direction) << i;
  }
  EXPECT_EQ(rows[199].payload, Reply(100));
}

TEST(MessageJournalTest, DeltasFindTheSharedPrefixWhereverTheLastOneEnded) {
  // Each payload differs from the base in one byte; the packer first tries
  // the shared length of the last delta, which is longer or shorter here.
  const std::string base(300, 'a');
  JournalPacker packer;
  std::string packed;
  packer.Append({1, 1, 0, "out", "response", "a", {}, base, false}, &packed);
  const size_t whole = packed.size();
  std::vector<std::string> payloads;
  for (size_t at : {200u, 40u, 260u, 33u, 32u, 299u, 0u}) {
    payloads.push_back(base);
    payloads.back()[at] = 'b';
    packer.Append({1, static_cast<int64_t>(payloads.size()) + 1, 0, "out", "response", "a", {},
                   payloads.back(), false},
                  &packed);
  }
  // A one-byte middle and a few varints each: every prefix was found whole.
  EXPECT_LE(packed.size(), whole + payloads.size() * 16);
  std::vector<MessageRow> rows = ReadOrDie(packed);
  ASSERT_EQ(rows.size(), payloads.size() + 1);
  for (size_t i = 0; i < payloads.size(); ++i) EXPECT_EQ(rows[i + 1].payload, payloads[i]) << i;
}

TEST(MessageJournalTest, DeltasReadBackWhereverTheBytesDiffer) {
  // Payloads of 1 to 80 bytes, each differing from its base in one or two
  // bytes at every position: the shared prefix and suffix are found in
  // steps of 32 and 8 bytes and in the overlapping last step, and a delta
  // (or a whole payload, where it saves too little) reads back as itself.
  for (size_t size = 1; size <= 80; ++size) {
    const std::string base = std::string(size, 'a');
    for (size_t at = 0; at < size; ++at) {
      for (size_t width : {1u, 2u}) {
        std::string changed = base;
        for (size_t k = at; k < std::min(size, at + width); ++k) changed[k] = 'b';
        JournalPacker packer;
        std::string packed;
        packer.Append({1, 1, 0, "out", "response", "a", {}, base, false}, &packed);
        packer.Append({1, 2, 0, "out", "response", "a", {}, changed, false}, &packed);
        packer.Append({1, 3, 0, "out", "response", "a", {}, changed + "c", false}, &packed);
        std::vector<MessageRow> rows = ReadOrDie(packed);
        ASSERT_EQ(rows.size(), 3u) << size << " " << at;
        EXPECT_EQ(rows[1].payload, changed) << size << " " << at << " " << width;
        EXPECT_EQ(rows[2].payload, changed + "c") << size << " " << at << " " << width;
      }
    }
  }
}

TEST(MessageJournalTest, ActionsWithTheSameKeyShareABaseAndReadBackAsThemselves) {
  // The same length and the same first and last 8 bytes: the base is chosen
  // by a key of those, so the second is a delta of the first.
  const std::string first_action = "getStations_A_ofTheCity";
  const std::string second_action = "getStations_B_ofTheCity";
  JournalPacker packer;
  std::string packed;
  packer.Append({1, 1, 0, "out", "response", first_action, {}, Reply(1), false}, &packed);
  const size_t one = packed.size();
  packer.Append({1, 2, 0, "out", "response", second_action, {}, Reply(2), false}, &packed);
  EXPECT_LT(packed.size() - one, one / 2);  // a delta
  std::vector<MessageRow> rows = ReadOrDie(packed);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].action, first_action);
  EXPECT_EQ(rows[1].action, second_action);
  EXPECT_EQ(rows[1].payload, Reply(2));
}

TEST(MessageJournalTest, OnlyTheSameDirectionAndActionAreDeltaBases) {
  JournalPacker packer;
  std::string packed;
  const std::string reply = Reply(1);
  // The same bytes under another action, another direction and no action:
  // each is written whole, and each reads back as itself.
  packer.Append({1, 1, 0, "out", "response", "getStationById", {}, reply, false}, &packed);
  const size_t one = packed.size();
  packer.Append({1, 2, 0, "out", "response", "getStations", {}, reply, false}, &packed);
  packer.Append({1, 3, 0, "in", "request", "getStationById", {}, reply, false}, &packed);
  packer.Append({1, 4, 0, "out", "other", {}, {}, reply, true}, &packed);
  EXPECT_GT(packed.size(), 3 * one);  // no delta among them
  std::vector<MessageRow> rows = ReadOrDie(packed);
  ASSERT_EQ(rows.size(), 4u);
  for (const MessageRow& row : rows) EXPECT_EQ(row.payload, reply);
}

TEST(MessageJournalTest, AfterResetARowReadsOnItsOwn) {
  JournalPacker packer;
  std::string first, second;
  packer.Append({1, 1, 0, "out", "response", "a", {}, Reply(1), false}, &first);
  packer.Reset();
  packer.Append({1, 2, 0, "out", "response", "a", {}, Reply(2), false}, &second);
  std::vector<MessageRow> rows = ReadOrDie(second);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].payload, Reply(2));
  EXPECT_EQ(packer.rebuilt_bytes(), 0u);
}

TEST(MessageJournalTest, PayloadsOverTheDeltaLimitAreWrittenWhole) {
  JournalPacker packer;
  std::string packed;
  const std::string big(JournalPacker::kMaxDeltaPayload + 1, 'b');
  packer.Append({1, 1, 0, "out", "response", "a", {}, big, false}, &packed);
  packer.Append({1, 2, 0, "out", "response", "a", {}, big, false}, &packed);
  EXPECT_GT(packed.size(), 2 * big.size());
  std::vector<MessageRow> rows = ReadOrDie(packed);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].payload, big);
}

// A message of "x" (conn 1, seq 1, offset 0, kind request, in) whose
// payload is the delta `back`, `prefix`, `suffix`, `middle`.
std::string DeltaMessage(char back, char prefix, char suffix, const std::string& middle) {
  return std::string("\x01\x01\x00\x80", 4) + back + prefix + suffix +
         static_cast<char>(middle.size()) + middle;
}

TEST(MessageJournalTest, ADeltaOutsideItsRowOrBaseIsMalformed) {
  std::string base;
  AppendToJournal({1, 1, 0, "in", "request", {}, {}, "0123456789", false}, &base);
  const struct {
    std::string delta;
    const char* why;
  } kBad[] = {
      {DeltaMessage(0, 1, 1, ""), "back 0: itself"},
      {DeltaMessage(2, 1, 1, ""), "back past the row's start"},
      {DeltaMessage(1, 11, 0, ""), "prefix longer than the base"},
      {DeltaMessage(1, 6, 5, ""), "prefix and suffix overlap"},
      {DeltaMessage(1, 1, 1, "ab").substr(0, 9), "middle cut short"},
  };
  for (const auto& bad : kBad) {
    std::vector<MessageRow> rows;
    Status s = ReadJournal(base + bad.delta, 1, &rows);
    EXPECT_EQ(s.message(), "malformed message at byte " + std::to_string(base.size()) + " of " +
                               std::to_string(base.size() + bad.delta.size()))
        << bad.why;
    EXPECT_EQ(rows.size(), 1u) << bad.why;
  }
  std::vector<MessageRow> rows;
  ASSERT_TRUE(ReadJournal(base + DeltaMessage(1, 2, 3, "ab"), 1, &rows).ok());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].payload, "01ab789");
}

TEST(MessageJournalTest, AnEmptyRowHoldsNoMessages) {
  EXPECT_TRUE(ReadOrDie("").empty());
}

}  // namespace
}  // namespace wsmock::store
