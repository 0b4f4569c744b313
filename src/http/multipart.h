#ifndef CIVICDESK_HTTP_MULTIPART_H_
#define CIVICDESK_HTTP_MULTIPART_H_

// Request bodies sent as multipart/form-data (RFC 7578): the forms that upload a file.
// Request::Form() reads the fields of such a body (so an upload form carries its csrf_token as
// any other form); a handler reads its files with ParseMultipart.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace civicdesk::http {

// One part of the body: a field, or a file when it has a filename.
struct FormPart {
  std::string name;
  std::string filename;  // empty for a field
  bool is_file = false;
  std::string content_type;
  std::string body;
};

// The parts of `body` sent with `content_type` ("multipart/form-data; boundary=…").
// InvalidArgument http.multipart_invalid when it is not such a body.
Result<std::vector<FormPart>> ParseMultipart(std::string_view body, std::string_view content_type);

}  // namespace civicdesk::http

#endif  // CIVICDESK_HTTP_MULTIPART_H_
